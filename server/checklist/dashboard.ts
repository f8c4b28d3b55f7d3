import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withHashJoins } from "@/db/scope";
import { can, type Actor } from "@/server/auth/permissions";
import { listActorDepartments } from "@/server/tenancy/restaurants";

export interface DashboardDepartment {
  id: string;
  name: string;
  productCount: number;
  /** Lines in the actor's draft for this department. */
  draftLines: number;
}

export interface DashboardSummary {
  departments: DashboardDepartment[];
  /** Products in the catalogue (not archived). */
  productCount: number;
  status: {
    /** Submitted requests not yet merged into a purchase order. */
    requestsWaiting: number;
    /** Purchase orders made but not sent yet. */
    ordersToSend: number;
    /** Sent and not fully received: deliveries in transit. */
    deliveriesInTransit: number;
    /** Products with no supplier (own or category default); null when the actor cannot assign them. */
    unsortedProducts: number | null;
  };
  lastOrder: { id: string; number: number; supplierName: string; status: string; deliveryDate: string; createdAt: Date } | null;
}

/**
 * The dashboard in three queries. Staff see the status and last order of their own departments; managers and
 * owners the whole restaurant's.
 */
export async function dashboardSummary(tx: Tx, actor: Actor): Promise<DashboardSummary> {
  const departments = await listActorDepartments(tx, actor);
  const ids = departments.map((d) => d.id);
  const everywhere = actor.role !== "staff";
  // A uuid[] literal parameter: works the same on postgres.js and PGlite.
  const idArray = `{${ids.join(",")}}`;
  const inMine = (column: string) => (everywhere ? sql`true` : sql`${sql.raw(column)} = any(${idArray}::uuid[])`);

  const [countsResult, statusResult, lastResult] = await withHashJoins(tx, () => Promise.all([
    ids.length === 0
      ? Promise.resolve([])
      : tx.execute(sql`
          select pd.department_id,
                 count(*)::int as product_count,
                 (select count(*)::int from purchase_request_lines l join purchase_requests r on r.id = l.request_id
                   where r.department_id = pd.department_id and r.created_by = ${actor.userId} and r.status = 'draft') as draft_lines
          from product_departments pd
          join products p on p.id = pd.product_id
          where pd.department_id = any(${idArray}::uuid[]) and not pd.is_hidden and not p.is_archived
          group by pd.department_id`),
    tx.execute(sql`
      select
        (select count(*)::int from products where not is_archived) as product_count,
        (select count(*)::int from purchase_requests r where r.status = 'submitted' and ${inMine("r.department_id")}) as requests_waiting,
        (select count(*)::int from purchase_orders o where o.status = 'draft'
           and (${everywhere} or exists (select 1 from purchase_order_lines l where l.order_id = o.id and ${inMine("l.department_id")}))) as orders_to_send,
        (select count(*)::int from purchase_orders o where o.status in ('sent', 'partially_received')
           and (${everywhere} or exists (select 1 from purchase_order_lines l where l.order_id = o.id and ${inMine("l.department_id")}))) as in_transit,
        ${
          can(actor, "orders.manage")
            ? sql`(select count(*)::int from products p left join categories c on c.id = p.category_id
                   where not p.is_archived and coalesce(p.supplier_id, c.default_supplier_id) is null)`
            : sql`null::int`
        } as unsorted`),
    tx.execute(sql`
      select o.id, o.number, s.name as supplier_name, o.status::text as status, o.delivery_date::text as delivery_date, o.created_at
      from purchase_orders o join suppliers s on s.id = o.supplier_id
      where ${everywhere} or exists (select 1 from purchase_order_lines l where l.order_id = o.id and ${inMine("l.department_id")})
      order by o.created_at desc, o.number desc
      limit 1`),
  ]));

  const counts = new Map(rowsOf<{ department_id: string; product_count: number; draft_lines: number }>(countsResult).map((r) => [r.department_id, r]));
  const [status] = rowsOf<{ product_count: number; requests_waiting: number; orders_to_send: number; in_transit: number; unsorted: number | null }>(statusResult);
  const [last] = rowsOf<{ id: string; number: number; supplier_name: string; status: string; delivery_date: string; created_at: Date | string }>(lastResult);
  return {
    departments: departments.map((d) => ({
      id: d.id,
      name: d.name,
      productCount: Number(counts.get(d.id)?.product_count ?? 0),
      draftLines: Number(counts.get(d.id)?.draft_lines ?? 0),
    })),
    productCount: Number(status?.product_count ?? 0),
    status: {
      requestsWaiting: Number(status?.requests_waiting ?? 0),
      ordersToSend: Number(status?.orders_to_send ?? 0),
      deliveriesInTransit: Number(status?.in_transit ?? 0),
      unsortedProducts: status?.unsorted === null || status?.unsorted === undefined ? null : Number(status.unsorted),
    },
    lastOrder: last
      ? { id: last.id, number: Number(last.number), supplierName: last.supplier_name, status: last.status, deliveryDate: last.delivery_date, createdAt: new Date(last.created_at) }
      : null,
  };
}
