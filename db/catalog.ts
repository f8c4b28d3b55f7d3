import { quoteIdent, type RawSession } from "./raw";

/**
 * What the database itself says about its tables, for code that must work on every table whatever migrations
 * added (backups, restores, the migration check): the tables of `public` in foreign-key order, their columns,
 * which column names the restaurant, and a checksum Postgres computes the same way on any copy of the data.
 */
export interface TableInfo {
  name: string;
  /** Stored columns in physical order (generated columns are recomputed, never copied). */
  columns: string[];
  /** The column that names the restaurant: `restaurant_id`, or the restaurants table's own key; null = global. */
  tenantColumn: string | null;
}

/** Settings that make text output (COPY, row::text) the same on every server and session. */
export const DETERMINISTIC_OUTPUT = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  "set local extra_float_digits = 1",
  "set local bytea_output = 'hex'",
];

export async function useDeterministicOutput(session: RawSession): Promise<void> {
  for (const statement of DETERMINISTIC_OUTPUT) await session.query(statement);
}

/**
 * Every table of `public`, parents before children (a restore loads them in this order, a delete goes the other
 * way). Self-references do not order anything; a cycle between tables is refused: no order could load it.
 */
export async function listTables(session: RawSession): Promise<TableInfo[]> {
  const columns = await session.query<{ table: string; column: string }>(`
    select c.relname as table, a.attname as column
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname, a.attnum`);
  const edges = await listForeignKeys(session);

  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column]);
  const names = [...byTable.keys()].sort();

  // The tenant root is whatever `restaurant_id` columns point at (restaurants.id).
  const rootEdge = edges.find((e) => e.child_column === "restaurant_id");
  const tenantColumn = (name: string): string | null => {
    if (rootEdge && name === rootEdge.parent) return rootEdge.parent_column;
    return byTable.get(name)!.includes("restaurant_id") ? "restaurant_id" : null;
  };

  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const e of edges) if (e.child !== e.parent && parents.has(e.child)) parents.get(e.child)!.add(e.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p) || !parents.has(p)));
    if (next.length === 0) {
      const left = names.filter((n) => !placed.has(n));
      throw new Error(`Foreign keys form a cycle between ${left.join(", ")}: no load order exists.`);
    }
    for (const n of next) {
      ordered.push(n);
      placed.add(n);
    }
  }
  return ordered.map((name) => ({ name, columns: byTable.get(name)!, tenantColumn: tenantColumn(name) }));
}

export interface ForeignKey {
  child: string;
  child_column: string;
  parent: string;
  parent_column: string;
}

/** Single-column foreign keys between tables of `public` (the only kind the schema uses). */
export async function listForeignKeys(session: RawSession): Promise<ForeignKey[]> {
  return session.query<ForeignKey>(`
    select c.relname as child, p.relname as parent, ca.attname as child_column, pa.attname as parent_column
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = k.conkey[1]
    join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
    where k.contype = 'f' and n.nspname = 'public'
    order by 1, 2, 3`);
}

export interface TableStats {
  rows: number;
  /** Sum mod 2^64 of the first 64 bits of md5(row as text), in decimal: order-independent, computed by Postgres. */
  checksum: string;
}

const rowText = (table: TableInfo, alias = "t") => `row(${table.columns.map((c) => `${alias}.${quoteIdent(c)}`).join(", ")})::text`;
const TWO_64 = "18446744073709551616";
const checksumExpression = (table: TableInfo) =>
  `(((coalesce(sum(('x' || left(md5(${rowText(table)}), 16))::bit(64)::bigint::numeric), 0) % ${TWO_64}) + ${TWO_64}) % ${TWO_64})::text`;

/** Row count and checksum of a table (of one restaurant's rows with `restaurantId`), as the session sees it. */
export async function tableStats(session: RawSession, table: TableInfo, restaurantId?: string): Promise<TableStats> {
  const where = restaurantId !== undefined && table.tenantColumn ? ` where t.${quoteIdent(table.tenantColumn)} = $1::uuid` : "";
  const [row] = await session.query<{ rows: string; checksum: string }>(
    `select count(*)::text as rows, ${checksumExpression(table)} as checksum from public.${quoteIdent(table.name)} t${where}`,
    where ? [restaurantId] : [],
  );
  return { rows: Number(row!.rows), checksum: row!.checksum };
}

/** The same per restaurant, for every restaurant of a tenant table in one pass. */
export async function tableStatsByRestaurant(session: RawSession, table: TableInfo): Promise<Map<string, TableStats>> {
  if (!table.tenantColumn) return new Map();
  const column = quoteIdent(table.tenantColumn);
  const rows = await session.query<{ restaurant_id: string; rows: string; checksum: string }>(
    `select t.${column}::text as restaurant_id, count(*)::text as rows, ${checksumExpression(table)} as checksum
     from public.${quoteIdent(table.name)} t where t.${column} is not null group by t.${column}`,
  );
  return new Map(rows.map((r) => [r.restaurant_id, { rows: Number(r.rows), checksum: r.checksum }]));
}

export interface SequenceState {
  name: string;
  value: string | null;
}

export async function listSequences(session: RawSession): Promise<SequenceState[]> {
  return session.query<SequenceState>(
    `select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' order by 1`,
  );
}
