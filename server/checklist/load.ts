import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withHashJoins } from "@/db/scope";
import type { Actor } from "@/server/auth/permissions";
import { requireDepartment } from "./access";

/** Purchase orders whose open lines count as "already on order". */
export const OPEN_ORDER_STATUSES = ["draft", "sent", "partially_received"] as const;

/** The terms of the suggestion, so the UI can show the arithmetic: par − stock − on order = suggestion. */
export interface SuggestionExplanation {
  par: string | null;
  /** Stock in this storage as Poster reports it; null = no stock data. */
  stock: string | null;
  /** The stock the formula used: 0 when unknown or below zero. */
  stockUsed: string;
  onOrder: string;
  suggested: string | null;
  /** No par level: no suggestion. */
  parMissing: boolean;
  /** No stock data: counted as 0, so the suggestion is the whole par (minus what is on order). */
  stockMissing: boolean;
  /** Poster reports negative stock (usage recorded beyond supplies): counted as 0. */
  stockNegative: boolean;
}

export interface ChecklistProduct {
  productId: string;
  name: string;
  unit: string;
  category: { id: string; name: string } | null;
  /** Effective supplier: the product's own, else its category's default. */
  supplier: { id: string; name: string } | null;
  stock: string | null;
  stockSyncedAt: Date | null;
  parLevel: string | null;
  onOrder: string;
  suggested: string | null;
  explanation: SuggestionExplanation;
  /** The actor's draft quantity, null when the line is not in the draft. */
  draftQuantity: string | null;
}

export interface DepartmentChecklist {
  department: { id: string; name: string };
  draft: { id: string; updatedAt: Date; lineCount: number } | null;
  products: ChecklistProduct[];
}

interface Row {
  product_id: string;
  name: string;
  unit: string;
  category_id: string | null;
  category_name: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  stock: string | null;
  stock_synced_at: Date | string | null;
  par_level: string | null;
  on_order: string;
  stock_used: string;
  suggested: string | null;
  draft_quantity: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A department's checklist in one query: its visible, non-archived products with stock in this storage, par,
 * what is already on open purchase orders for this department, the suggestion (numeric arithmetic in SQL), and
 * the actor's draft quantity.
 */
export async function loadDepartmentChecklist(
  tx: Tx,
  actor: Actor,
  input: { departmentId: string; search?: string },
): Promise<DepartmentChecklist> {
  const department = await requireDepartment(tx, actor, input.departmentId);
  const search = input.search?.trim();
  const nameFilter = search ? sql`and p.name ilike ${`%${escapeLike(search)}%`}` : sql``;
  // Constant enum literals (not parameters), so the planner can use the status index.
  const openStatuses = sql.raw(OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(", "));

  const [draftResult, productResult] = await withHashJoins(tx, () => Promise.all([
    tx.execute(sql`
      select r.id, r.updated_at, (select count(*)::int from purchase_request_lines l where l.request_id = r.id) as line_count
      from purchase_requests r
      where r.department_id = ${department.id} and r.created_by = ${actor.userId} and r.status = 'draft'`),
    tx.execute(sql`
      with on_order as (
        select l.product_id, sum(greatest(l.quantity - l.received_quantity, 0)) as qty
        from purchase_orders o
        join purchase_order_lines l on l.restaurant_id = o.restaurant_id and l.order_id = o.id
        where o.status in (${openStatuses}) and l.status = 'open' and l.department_id = ${department.id}
        group by l.product_id
      ),
      draft as (
        select id from purchase_requests
        where department_id = ${department.id} and created_by = ${actor.userId} and status = 'draft'
      ),
      base as (
        select p.id as product_id, p.name, p.unit, c.id as category_id, c.name as category_name,
               s.id as supplier_id, s.name as supplier_name,
               pd.stock, pd.stock_synced_at, pd.par_level,
               coalesce(oo.qty, 0) as on_order,
               greatest(coalesce(pd.stock, 0), 0) as stock_used,
               dl.quantity as draft_quantity
        from product_departments pd
        join products p on p.id = pd.product_id
        left join categories c on c.id = p.category_id
        left join suppliers s on s.id = coalesce(p.supplier_id, c.default_supplier_id)
        left join on_order oo on oo.product_id = p.id
        left join purchase_request_lines dl on dl.request_id = (select id from draft) and dl.product_id = p.id
        where pd.department_id = ${department.id} and not pd.is_hidden and not p.is_archived ${nameFilter}
      )
      select product_id, name, unit, category_id, category_name, supplier_id, supplier_name,
             trim_scale(stock)::text as stock, stock_synced_at, trim_scale(par_level)::text as par_level,
             trim_scale(on_order)::text as on_order, trim_scale(stock_used)::text as stock_used,
             case when par_level is null then null
                  else trim_scale(greatest(par_level - stock_used - on_order, 0))::text end as suggested,
             trim_scale(draft_quantity)::text as draft_quantity
      from base
      order by category_name nulls last, name, product_id`),
  ]));

  const [draft] = rowsOf<{ id: string; updated_at: Date | string; line_count: number }>(draftResult);
  const products = rowsOf<Row>(productResult).map((r): ChecklistProduct => {
    const stockNegative = r.stock !== null && r.stock.startsWith("-");
    return {
      productId: r.product_id,
      name: r.name,
      unit: r.unit,
      category: r.category_id ? { id: r.category_id, name: r.category_name ?? "" } : null,
      supplier: r.supplier_id ? { id: r.supplier_id, name: r.supplier_name ?? "" } : null,
      stock: r.stock,
      stockSyncedAt: r.stock_synced_at === null ? null : new Date(r.stock_synced_at),
      parLevel: r.par_level,
      onOrder: r.on_order,
      suggested: r.suggested,
      explanation: {
        par: r.par_level,
        stock: r.stock,
        stockUsed: r.stock_used,
        onOrder: r.on_order,
        suggested: r.suggested,
        parMissing: r.par_level === null,
        stockMissing: r.stock === null,
        stockNegative,
      },
      draftQuantity: r.draft_quantity,
    };
  });
  return {
    department,
    draft: draft ? { id: draft.id, updatedAt: new Date(draft.updated_at), lineCount: Number(draft.line_count) } : null,
    products,
  };
}
