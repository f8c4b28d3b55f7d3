/**
 * Realistic bench data, generated inside Postgres (generate_series + multi-row inserts) through withPlatform:
 * N restaurants, each with departments, suppliers, categories, ~1,500 products, one 500-product department,
 * stock and par levels (some stock unknown or negative), purchase orders in every status with lines, submitted
 * requests, and a manager and a staff member per restaurant. Shared: other benches may call generateBenchData.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";

export interface BenchShape {
  restaurants: number;
  departments: number;
  products: number;
  /** Products in the first ("big") department; the others share the rest. */
  bigDepartment: number;
  suppliers: number;
  categories: number;
  orders: number;
  linesPerOrder: number;
  submittedRequests: number;
}

export const DEFAULT_SHAPE: BenchShape = {
  restaurants: 120,
  departments: 4,
  products: 1500,
  bigDepartment: 500,
  suppliers: 15,
  categories: 12,
  orders: 40,
  linesPerOrder: 12,
  submittedRequests: 20,
};

export interface BenchRestaurant {
  id: string;
  bigDepartmentId: string;
  departmentIds: string[];
  managerId: string;
  staffId: string;
}

const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;

async function generateRestaurant(tx: Tx, index: number, shape: BenchShape, tag: string): Promise<BenchRestaurant> {
  const id = randomUUID();
  const departmentIds = Array.from({ length: shape.departments }, () => randomUUID());
  const supplierIds = Array.from({ length: shape.suppliers }, () => randomUUID());
  const categoryIds = Array.from({ length: shape.categories }, () => randomUUID());
  const managerId = randomUUID();
  const staffId = randomUUID();
  const deps = uuidArray(departmentIds);
  const sups = uuidArray(supplierIds);
  const cats = uuidArray(categoryIds);

  await tx.execute(sql`insert into restaurants (id, name, poster_account_number, currency, timezone, locale)
    values (${id}, ${`Bench ${index + 1}`}, ${`${tag}-${index + 1}`}, 'RUB', 'Europe/Moscow', ${index % 2 ? "en" : "ru"})`);
  await tx.execute(sql`insert into departments (id, restaurant_id, poster_storage_id, name, sort_order)
    select (${deps}::uuid[])[g], ${id}, g, (array['Kitchen','Bar','Pastry','Housekeeping','Storage','Grill'])[1 + (g - 1) % 6], g
    from generate_series(1, ${shape.departments}) g`);
  await tx.execute(sql`insert into suppliers (id, restaurant_id, poster_supplier_id, name, poster_phone)
    select (${sups}::uuid[])[g], ${id}, g, 'Supplier ' || g, '+7 900 000 ' || lpad(g::text, 4, '0')
    from generate_series(1, ${shape.suppliers}) g`);
  // Every other category has a default supplier: products without their own fall back to it.
  await tx.execute(sql`insert into categories (id, restaurant_id, poster_category_id, name, default_supplier_id)
    select (${cats}::uuid[])[g], ${id}, g, 'Category ' || g, case when g % 2 = 0 then (${sups}::uuid[])[1 + g % ${shape.suppliers}] end
    from generate_series(1, ${shape.categories}) g`);
  await tx.execute(sql`insert into products (restaurant_id, poster_ingredient_id, name, unit, category_id, supplier_id, cost_minor, is_archived)
    select ${id}, g, 'Product ' || g || ' ' || md5(g::text || ${id}::text)::varchar(6),
           (array['kg','l','p'])[1 + g % 3], (${cats}::uuid[])[1 + g % ${shape.categories}],
           case when g % 4 = 0 then null else (${sups}::uuid[])[1 + g % ${shape.suppliers}] end,
           1000 + (g * 37) % 50000, g % 97 = 0
    from generate_series(1, ${shape.products}) g`);
  // The big department takes the first products; the rest are split over the other departments, and every
  // tenth product of the big department is also kept in the second one (the same product in two storages).
  const rest = Math.max(1, shape.departments - 1);
  const per = Math.ceil((shape.products - shape.bigDepartment) / rest);
  await tx.execute(sql`insert into product_departments (restaurant_id, product_id, department_id, par_level, stock, stock_synced_at, is_hidden)
    select p.restaurant_id, p.id,
           (${deps}::uuid[])[case when p.poster_ingredient_id <= ${shape.bigDepartment} then 1
                                  else 2 + least((p.poster_ingredient_id - ${shape.bigDepartment} - 1) / ${per}, ${rest - 1}) end],
           case when p.poster_ingredient_id % 9 = 0 then null else (5 + p.poster_ingredient_id % 40)::numeric / 2 end,
           case when p.poster_ingredient_id % 20 = 0 then null
                when p.poster_ingredient_id % 53 = 0 then -((p.poster_ingredient_id % 7)::numeric)
                else (p.poster_ingredient_id * 7 % 300)::numeric / 8 end,
           case when p.poster_ingredient_id % 20 = 0 then null else now() - interval '3 hours' end,
           p.poster_ingredient_id % 61 = 0
    from products p where p.restaurant_id = ${id}`);
  if (shape.departments > 1) {
    await tx.execute(sql`insert into product_departments (restaurant_id, product_id, department_id, par_level, stock, stock_synced_at)
      select p.restaurant_id, p.id, (${deps}::uuid[])[2], 4, (p.poster_ingredient_id % 11)::numeric / 4, now()
      from products p where p.restaurant_id = ${id} and p.poster_ingredient_id <= ${shape.bigDepartment} and p.poster_ingredient_id % 10 = 0`);
  }

  await tx.execute(sql`insert into users (id, email, name) values
    (${managerId}, ${`${tag}-manager-${index + 1}@bench.test`}, 'Bench Manager'),
    (${staffId}, ${`${tag}-staff-${index + 1}@bench.test`}, 'Bench Staff')`);
  const staffMembership = randomUUID();
  await tx.execute(sql`insert into memberships (id, restaurant_id, user_id, role, can_send, can_receive) values
    (${randomUUID()}, ${id}, ${managerId}, 'manager', true, true),
    (${staffMembership}, ${id}, ${staffId}, 'staff', false, true)`);
  await tx.execute(sql`insert into membership_departments (restaurant_id, membership_id, department_id) values (${id}, ${staffMembership}, ${departmentIds[0]!})`);

  // Purchase orders in every status, most of them history (received), lines mostly in the big department.
  await tx.execute(sql`insert into purchase_orders (restaurant_id, number, supplier_id, delivery_date, status, created_by, sent_at, created_at)
    select ${id}, g, (${sups}::uuid[])[1 + g % ${shape.suppliers}], current_date - (${shape.orders} - g),
           (case when g > ${shape.orders} - 3 then 'draft' when g > ${shape.orders} - 8 then 'sent'
                 when g > ${shape.orders} - 10 then 'partially_received' when g % 13 = 0 then 'cancelled' else 'received' end)::order_status,
           ${managerId}, case when g <= ${shape.orders} - 3 then now() - (${shape.orders} - g) * interval '1 day' end,
           now() - (${shape.orders} - g) * interval '1 day'
    from generate_series(1, ${shape.orders}) g`);
  await tx.execute(sql`insert into purchase_order_lines (restaurant_id, order_id, product_id, department_id, quantity, received_quantity, price_minor, status)
    select o.restaurant_id, o.id, p.id, pd.department_id, 1 + (o.number + k) % 9,
           case when o.status = 'received' then 1 + (o.number + k) % 9 when o.status = 'partially_received' and k % 2 = 0 then 1 else 0 end,
           p.cost_minor,
           (case when o.status = 'received' then 'received' when o.status = 'cancelled' then 'cancelled' else 'open' end)::order_line_status
    from purchase_orders o
    cross join generate_series(1, ${shape.linesPerOrder}) k
    join products p on p.restaurant_id = o.restaurant_id and p.poster_ingredient_id = 1 + ((o.number * 31 + k * 17) % ${shape.products})
    join lateral (select department_id from product_departments x where x.product_id = p.id limit 1) pd on true
    where o.restaurant_id = ${id}`);

  // Submitted requests (history) by the staff member in the big department.
  await tx.execute(sql`insert into purchase_requests (restaurant_id, department_id, created_by, status, submitted_at, created_at)
    select ${id}, ${departmentIds[0]!}, ${staffId}, (case when g < ${shape.submittedRequests} then 'ordered' else 'submitted' end)::request_status,
           now() - g * interval '1 day', now() - g * interval '1 day'
    from generate_series(1, ${shape.submittedRequests}) g`);
  await tx.execute(sql`insert into purchase_request_lines (restaurant_id, request_id, product_id, quantity)
    select r.restaurant_id, r.id, p.id, 1 + k % 5
    from purchase_requests r cross join generate_series(1, 15) k
    join products p on p.restaurant_id = r.restaurant_id and p.poster_ingredient_id = 1 + ((k * 29 + extract(day from r.created_at)::int) % ${shape.bigDepartment})
    where r.restaurant_id = ${id}
    on conflict do nothing`);

  return { id, bigDepartmentId: departmentIds[0]!, departmentIds, managerId, staffId };
}

/**
 * Generates `shape.restaurants` restaurants, a few in parallel (one transaction each). `tag` prefixes their
 * Poster account numbers and users' e-mails ("bench" is what loadBenchRestaurants finds again); a test sharing its
 * database with others passes its own and deletes what it made.
 */
export async function generateBenchData(
  shape: BenchShape = DEFAULT_SHAPE,
  parallel = 4,
  tag = "bench",
  /** Per-restaurant sizes (the scale seed varies them like real accounts); `shape.restaurants` still counts. */
  shapeFor?: (index: number) => Partial<BenchShape>,
): Promise<BenchRestaurant[]> {
  const out: BenchRestaurant[] = new Array(shape.restaurants);
  let next = 0;
  const worker = async () => {
    while (next < shape.restaurants) {
      const i = next++;
      const own = shapeFor ? { ...shape, ...shapeFor(i) } : shape;
      out[i] = await withPlatform("seed", (tx) => generateRestaurant(tx, i, own, tag));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, shape.restaurants) }, worker));
  return out;
}

/** The restaurants a previous run generated (their users and big department), to reuse a bench database. */
export async function loadBenchRestaurants(): Promise<BenchRestaurant[]> {
  return withPlatform("seed", async (tx) => {
    const result = await tx.execute(sql`
      select r.id,
             (select array_agg(d.id order by d.sort_order) from departments d where d.restaurant_id = r.id) as department_ids,
             (select m.user_id from memberships m where m.restaurant_id = r.id and m.role = 'manager' limit 1) as manager_id,
             (select m.user_id from memberships m where m.restaurant_id = r.id and m.role = 'staff' limit 1) as staff_id
      from restaurants r where r.poster_account_number like 'bench-%'
      order by r.created_at, r.name`);
    return rowsOf<{ id: string; department_ids: string[] | string; manager_id: string; staff_id: string }>(result).map((r) => {
      const departmentIds = Array.isArray(r.department_ids) ? r.department_ids : r.department_ids.replace(/[{}]/g, "").split(",");
      return { id: r.id, bigDepartmentId: departmentIds[0]!, departmentIds, managerId: r.manager_id, staffId: r.staff_id };
    });
  });
}

/** Row counts of the tables the checklist reads, for the report. */
export async function benchDataSize(): Promise<Record<string, number>> {
  return withPlatform("seed", async (tx) => {
    const tables = ["restaurants", "departments", "products", "product_departments", "purchase_orders", "purchase_order_lines", "purchase_requests", "purchase_request_lines"];
    const out: Record<string, number> = {};
    for (const table of tables) {
      const result = await tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
      out[table] = Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    }
    return out;
  });
}
