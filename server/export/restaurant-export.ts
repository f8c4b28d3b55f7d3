import { sql, type SQL } from "drizzle-orm";
import { strToU8, zipSync } from "fflate";
import Papa from "papaparse";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";

/**
 * An owner's copy of their restaurant's data: one CSV per kind of thing (orders with their lines, receipts,
 * requests, the catalogue, suppliers, the team) and restaurant.json, zipped. Read in the tenant transaction the
 * job runs in (row-level security: only this restaurant's rows exist for it), never a secret: no password hash,
 * no invitation token hash, no Poster token.
 */
export const EXPORT_FILES: { name: string; query: SQL }[] = [
  { name: "departments.csv", query: sql`select id, name, poster_storage_id, sort_order, is_archived, created_at from departments order by sort_order, name` },
  {
    name: "suppliers.csv",
    query: sql`select id, name, poster_supplier_id, coalesce(phone, poster_phone) as phone, email, telegram, preferred_channel, address, comment, is_archived, created_at from suppliers order by name`,
  },
  {
    name: "categories.csv",
    query: sql`select c.id, c.name, c.poster_category_id, s.name as default_supplier, c.is_archived from categories c left join suppliers s on s.id = c.default_supplier_id order by c.name`,
  },
  {
    name: "products.csv",
    query: sql`select p.id, p.name, p.unit, p.poster_ingredient_id, c.name as category, s.name as supplier, p.cost_minor, p.last_price_minor, p.is_archived, p.created_at
      from products p left join categories c on c.id = p.category_id left join suppliers s on s.id = p.supplier_id order by p.name, p.id`,
  },
  {
    name: "product_departments.csv",
    query: sql`select p.name as product, d.name as department, pd.par_level, pd.stock, pd.stock_synced_at, pd.is_hidden, pd.product_id, pd.department_id
      from product_departments pd join products p on p.id = pd.product_id join departments d on d.id = pd.department_id order by d.name, p.name`,
  },
  {
    name: "orders.csv",
    query: sql`select o.id, o.number, s.name as supplier, o.delivery_date, o.status, o.note, o.sent_at, o.sent_channel, sb.email as sent_by, cb.email as created_by, o.created_at
      from purchase_orders o join suppliers s on s.id = o.supplier_id left join users sb on sb.id = o.sent_by left join users cb on cb.id = o.created_by order by o.number`,
  },
  {
    name: "order_lines.csv",
    query: sql`select l.order_id, o.number as order_number, p.name as product, p.unit, d.name as department, l.quantity, l.received_quantity, l.price_minor, l.status
      from purchase_order_lines l join purchase_orders o on o.id = l.order_id join products p on p.id = l.product_id join departments d on d.id = l.department_id
      order by o.number, p.name`,
  },
  {
    name: "receipts.csv",
    query: sql`select r.id, o.number as order_number, r.received_at, u.email as received_by, r.note from receipts r join purchase_orders o on o.id = r.order_id left join users u on u.id = r.received_by order by r.received_at`,
  },
  {
    name: "receipt_lines.csv",
    query: sql`select rl.receipt_id, o.number as order_number, p.name as product, rl.quantity, rl.price_minor
      from receipt_lines rl join receipts r on r.id = rl.receipt_id join purchase_orders o on o.id = r.order_id
      join purchase_order_lines l on l.id = rl.order_line_id join products p on p.id = l.product_id order by r.received_at, p.name`,
  },
  {
    name: "requests.csv",
    query: sql`select r.id, d.name as department, u.email as created_by, r.status, r.note, r.submitted_at, r.created_at
      from purchase_requests r join departments d on d.id = r.department_id left join users u on u.id = r.created_by order by r.created_at`,
  },
  {
    name: "request_lines.csv",
    query: sql`select l.request_id, p.name as product, p.unit, l.quantity, l.order_line_id from purchase_request_lines l join products p on p.id = l.product_id order by l.request_id, p.name`,
  },
  {
    name: "team.csv",
    query: sql`select u.name, u.email, m.role, m.can_send, m.can_receive, m.is_active,
        coalesce((select string_agg(d.name, ', ' order by d.name) from membership_departments md join departments d on d.id = md.department_id where md.membership_id = m.id), '') as departments,
        m.created_at as member_since
      from memberships m join users u on u.id = m.user_id order by m.role, u.email`,
  },
  {
    name: "invitations.csv",
    query: sql`select email, role, can_send, can_receive, expires_at, accepted_at, revoked_at, created_at from invitations order by created_at`,
  },
];

function csv(rows: Record<string, unknown>[]): string {
  // escapeFormulae: a cell starting with = + - @ is never run as a formula by a spreadsheet.
  return Papa.unparse(
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))),
    { escapeFormulae: true, newline: "\r\n" },
  );
}

export interface ExportResult {
  zip: Buffer;
  files: { name: string; rows: number }[];
}

export async function buildRestaurantExport(tx: Tx, restaurantId: string, onProgress: (done: number, total: number, label: string) => void = () => {}): Promise<ExportResult> {
  const [restaurant] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`select id, name, currency, timezone, locale, status, poster_account_number, created_at from restaurants where id = ${restaurantId}`),
  );
  if (!restaurant) throw new Error("The restaurant is not visible in its own scope.");
  const entries: Record<string, Uint8Array> = {};
  const files: ExportResult["files"] = [];
  const total = EXPORT_FILES.length + 1;
  for (const [i, file] of EXPORT_FILES.entries()) {
    onProgress(i, total, file.name);
    const rows = rowsOf<Record<string, unknown>>(await tx.execute(file.query));
    const text = rows.length ? csv(rows) : "";
    entries[file.name] = strToU8(`\uFEFF${text}`);
    files.push({ name: file.name, rows: rows.length });
  }
  const summary = { restaurant, exportedAt: new Date().toISOString(), files, note: "CSV files are UTF-8 with a byte order mark, comma-separated; money in minor units (kopecks, cents)." };
  entries["restaurant.json"] = strToU8(JSON.stringify(summary, null, 2));
  onProgress(total, total, "restaurant.json");
  return { zip: Buffer.from(zipSync(entries, { level: 6 })), files };
}
