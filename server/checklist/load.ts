import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withHashJoins } from "@/db/scope";
import type { Actor } from "@/server/auth/permissions";
import { assertWorksIn, departmentNotFound } from "./access";
import type { ChecklistRow, ChecklistWire } from "./wire";
import { OPEN_ORDER_STATUSES } from "@/vocabulary/constants";


interface Row {
  product_id: string;
  name: string;
  unit: string;
  category_id: string | null;
  category_name: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  stock: string | null;
  par_level: string | null;
  on_order: string;
  suggested: string | null;
  draft_quantity: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A department's checklist in one query: its visible, non-archived products with stock in this storage, par,
 * what is already on open purchase orders for this department, the suggestion (numeric arithmetic in SQL), and
 * the actor's draft quantity. Answered in the compact wire shape of ./wire.ts.
 */
export async function loadDepartmentChecklist(
  tx: Tx,
  actor: Actor,
  input: { departmentId: string; search?: string },
): Promise<ChecklistWire> {
  assertWorksIn(actor, input.departmentId);
  const search = input.search?.trim();
  const nameFilter = search ? sql`and p.name ilike ${`%${escapeLike(search)}%`}` : sql``;
  // Constant enum literals (not parameters), so the planner can use the status index.
  const openStatuses = sql.raw(OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(", "));

  // The department (it must exist and not be archived, as requireDepartment checks), the actor's draft and the
  // products, sent together: pipelined on the transaction's connection, one round trip. For a department that does
  // not exist the product query finds nothing and the answer is NOT_FOUND.
  const [headResult, productResult] = await withHashJoins(tx, () => Promise.all([
    tx.execute(sql`
      select d.id as department_id, d.name as department_name,
             r.id, r.updated_at, (select count(*)::int from purchase_request_lines l where l.request_id = r.id) as line_count,
             (select max(pd.stock_synced_at) from product_departments pd where pd.department_id = d.id) as stock_synced_at
      from departments d
      left join purchase_requests r on r.department_id = d.id and r.created_by = ${actor.userId} and r.status = 'draft'
      where d.id = ${input.departmentId} and not d.is_archived`),
    tx.execute(sql`
      with on_order as (
        select l.product_id, sum(greatest(l.quantity - l.received_quantity, 0)) as qty
        from purchase_orders o
        join purchase_order_lines l on l.restaurant_id = o.restaurant_id and l.order_id = o.id
        where o.status in (${openStatuses}) and l.status = 'open' and l.department_id = ${input.departmentId}
        group by l.product_id
      ),
      draft as (
        select id from purchase_requests
        where department_id = ${input.departmentId} and created_by = ${actor.userId} and status = 'draft'
      ),
      base as (
        select p.id as product_id, p.name, p.unit, c.id as category_id, c.name as category_name,
               s.id as supplier_id, s.name as supplier_name,
               pd.stock, pd.par_level,
               coalesce(oo.qty, 0) as on_order,
               greatest(coalesce(pd.stock, 0), 0) as stock_used,
               dl.quantity as draft_quantity
        from product_departments pd
        join products p on p.id = pd.product_id
        left join categories c on c.id = p.category_id
        left join suppliers s on s.id = coalesce(p.supplier_id, c.default_supplier_id)
        left join on_order oo on oo.product_id = p.id
        left join purchase_request_lines dl on dl.request_id = (select id from draft) and dl.product_id = p.id
        where pd.department_id = ${input.departmentId} and not pd.is_hidden and not p.is_archived ${nameFilter}
      )
      select product_id, name, unit, category_id, category_name, supplier_id, supplier_name,
             trim_scale(stock)::text as stock, trim_scale(par_level)::text as par_level,
             trim_scale(on_order)::text as on_order,
             case when par_level is null then null
                  else trim_scale(greatest(par_level - stock_used - on_order, 0))::text end as suggested,
             trim_scale(draft_quantity)::text as draft_quantity
      from base
      order by category_name nulls last, name, product_id`),
  ]));

  const [head] = rowsOf<{
    department_id: string;
    department_name: string;
    id: string | null;
    updated_at: Date | string | null;
    line_count: number | null;
    stock_synced_at: Date | string | null;
  }>(headResult);
  if (!head) throw departmentNotFound();
  const department = { id: head.department_id, name: head.department_name };
  const categories: [string, string][] = [];
  const suppliers: [string, string][] = [];
  const categoryIndex = new Map<string, number>();
  const supplierIndex = new Map<string, number>();
  const indexOf = (list: [string, string][], index: Map<string, number>, id: string | null, name: string | null) => {
    if (id === null) return -1;
    let i = index.get(id);
    if (i === undefined) {
      i = list.push([id, name ?? ""]) - 1;
      index.set(id, i);
    }
    return i;
  };
  const rows = rowsOf<Row>(productResult).map(
    (r): ChecklistRow => [
      r.product_id,
      r.name,
      r.unit,
      indexOf(categories, categoryIndex, r.category_id, r.category_name),
      indexOf(suppliers, supplierIndex, r.supplier_id, r.supplier_name),
      r.stock,
      r.par_level,
      r.on_order,
      r.suggested,
      r.draft_quantity,
    ],
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    department,
    draft: head.id && head.updated_at !== null ? { id: head.id, updatedAt: iso(head.updated_at), lineCount: Number(head.line_count) } : null,
    stockSyncedAt: head.stock_synced_at ? iso(head.stock_synced_at) : null,
    categories,
    suppliers,
    rows,
  };
}
