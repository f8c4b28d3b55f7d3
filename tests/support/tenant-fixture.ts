import { eq, sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { membershipDepartments, memberships, users } from "@/db/schema";
import { startSession } from "@/server/accounts/sessions";
import type { SessionClaims } from "@/server/trpc/init";
import { addMembership, createRestaurant, createUser } from "./database";

/**
 * A restaurant with at least one row in EVERY table that has a restaurant_id column, discovered from the
 * catalogue (so tables added later are seeded too): foreign keys point at the same restaurant's rows, text
 * columns carry a marker so a leaked name is recognisable, and the whole tenant can be snapshotted as JSON.
 */

interface Column {
  table: string;
  column: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  hasDefault: boolean;
}

interface ForeignKey {
  table: string;
  column: string;
  refTable: string;
  refColumn: string;
}

async function catalogue() {
  return withPlatform("test", async (tx) => {
    const columns = rowsOf<{ table: string; column: string; data_type: string; udt_name: string; is_nullable: string; column_default: string | null }>(
      await tx.execute(sql`
        select c.table_name as table, c.column_name as column, c.data_type, c.udt_name, c.is_nullable, c.column_default
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema = 'public' and c.table_name not like '\\_\\_%'
        order by c.table_name, c.ordinal_position`),
    ).map<Column>((c) => ({
      table: c.table,
      column: c.column,
      dataType: c.data_type,
      udtName: c.udt_name,
      nullable: c.is_nullable === "YES",
      hasDefault: c.column_default !== null,
    }));
    const fks = rowsOf<{ table: string; column: string; ref_table: string; ref_column: string }>(
      await tx.execute(sql`
        select cl.relname as table, a.attname as column, rcl.relname as ref_table, ra.attname as ref_column
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid
        join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
        join pg_class rcl on rcl.oid = con.confrelid
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
        join pg_attribute ra on ra.attrelid = con.confrelid and ra.attnum = con.confkey[1]
        where con.contype = 'f' and array_length(con.conkey, 1) = 1`),
    ).map<ForeignKey>((f) => ({ table: f.table, column: f.column, refTable: f.ref_table, refColumn: f.ref_column }));
    const enums = rowsOf<{ name: string; label: string }>(
      await tx.execute(sql`select t.typname as name, e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid order by e.enumsortorder`),
    );
    return { columns, fks, enums };
  });
}

/** Tables with a restaurant_id column, parents before children. */
export async function tenantTables(): Promise<string[]> {
  const { columns, fks } = await catalogue();
  return orderTenantTables(columns, fks);
}

function orderTenantTables(columns: Column[], fks: ForeignKey[]): string[] {
  const tenant = [...new Set(columns.filter((c) => c.column === "restaurant_id" && c.table !== "restaurants").map((c) => c.table))].sort();
  const ordered: string[] = [];
  const pending = new Set(tenant);
  while (pending.size) {
    const ready = [...pending].filter((t) => fks.every((f) => f.table !== t || f.refTable === t || !pending.has(f.refTable)));
    // A cycle would be a schema smell; break it rather than loop forever.
    const next = ready.length ? ready : [[...pending][0]!];
    for (const t of next) {
      ordered.push(t);
      pending.delete(t);
    }
  }
  return ordered;
}

let counter = 0;
const runId = Math.random().toString(36).slice(2, 8);

export interface SeededTenant {
  restaurantId: string;
  marker: string;
  /** Users who belong to the restaurant (their rows are part of its snapshot). */
  userIds: string[];
  /** Row ids per table (tables without an id column are listed by their uuid values). */
  ids: Record<string, string[]>;
}

/**
 * Creates a restaurant named after `marker` with an owner, and inserts one generated row into every tenant table
 * that is still empty for it, with every foreign key (nullable or not) pointing at this restaurant's rows.
 */
export async function seedTenant(marker: string): Promise<SeededTenant> {
  const restaurant = await createRestaurant({ name: `${marker} Restaurant` });
  const owner = await createUser({ name: `${marker} Owner`, email: `${marker.toLowerCase()}-owner-${Date.now().toString(36)}@test.local` });
  await addMembership({ restaurantId: restaurant.id, userId: owner.id, role: "owner", canSend: true, canReceive: true });
  const { columns, fks, enums } = await catalogue();
  const tables = orderTenantTables(columns, fks);
  await withPlatform("test", async (tx) => {
    const firstRow = async (table: string, column: string): Promise<string | undefined> => {
      if (table === "restaurants") return restaurant.id;
      if (table === "users") return owner.id;
      const hasTenant = columns.some((c) => c.table === table && c.column === "restaurant_id");
      const where = hasTenant ? sql`where restaurant_id = ${restaurant.id}` : sql``;
      const [row] = rowsOf<{ v: string }>(await tx.execute(sql`select ${sql.identifier(column)}::text as v from ${sql.identifier(table)} ${where} limit 1`));
      return row?.v;
    };
    for (const table of tables) {
      const [existing] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where restaurant_id = ${restaurant.id}`));
      if (Number(existing?.n) > 0) continue;
      const names: SQL[] = [];
      const values: SQL[] = [];
      for (const col of columns.filter((c) => c.table === table)) {
        const value = await generatedValue(col);
        if (value === undefined) continue;
        names.push(sql`${sql.identifier(col.column)}`);
        values.push(value);
      }
      await tx.execute(sql`insert into ${sql.identifier(table)} (${sql.join(names, sql`, `)}) values (${sql.join(values, sql`, `)})`);

      async function generatedValue(col: Column): Promise<SQL | undefined> {
        if (col.column === "restaurant_id") return sql`${restaurant.id}::uuid`;
        const fk = fks.find((f) => f.table === col.table && f.column === col.column);
        if (fk) {
          const target = await firstRow(fk.refTable, fk.refColumn);
          if (target === undefined) {
            if (col.nullable) return undefined;
            throw new Error(`seedTenant: ${col.table}.${col.column} needs a row in ${fk.refTable}, which is seeded later or not at all`);
          }
          return sql`${target}::uuid`;
        }
        const unique = `${marker}-${col.table}-${col.column}-${runId}-${counter++}`;
        if (col.hasDefault && col.dataType !== "text") return undefined;
        switch (col.dataType) {
          case "text":
          case "character varying":
            return col.column.endsWith("email") ? sql`${`${unique.toLowerCase()}@test.local`}` : sql`${unique}`;
          case "uuid":
            return col.nullable ? undefined : sql`gen_random_uuid()`;
          case "integer":
          case "bigint":
          case "smallint":
            return sql`${100_000 + counter++}`;
          case "numeric":
            return sql`${"1.5"}::numeric`;
          case "boolean":
            return sql`false`;
          case "jsonb":
          case "json":
            return sql`${JSON.stringify({ marker: unique })}::jsonb`;
          case "timestamp with time zone":
          case "timestamp without time zone":
            // Nullable timestamps are states (accepted, revoked, posted): leave the row in its first state.
            return col.nullable ? undefined : sql`now() + interval '1 day'`;
          case "date":
            return sql`current_date`;
          case "ARRAY":
            return sql`'{}'`;
          case "USER-DEFINED": {
            const label = enums.find((e) => e.name === col.udtName)?.label;
            return label === undefined ? undefined : sql`${label}::${sql.identifier(col.udtName)}`;
          }
          default:
            return col.nullable ? undefined : sql`${unique}`;
        }
      }
    }
  });
  // A staff member with a department, so membership_departments and users have more than the owner.
  const staff = await createUser({ name: `${marker} Staff`, email: `${marker.toLowerCase()}-staff-${Date.now().toString(36)}@test.local` });
  const staffMembership = await addMembership({ restaurantId: restaurant.id, userId: staff.id, role: "staff", canSend: true, canReceive: true });
  await withPlatform("test", async (tx) => {
    const [dept] = rowsOf<{ id: string }>(await tx.execute(sql`select id from departments where restaurant_id = ${restaurant.id} limit 1`));
    await tx.insert(membershipDepartments).values({ restaurantId: restaurant.id, membershipId: staffMembership.id, departmentId: dept!.id });
  });
  return { restaurantId: restaurant.id, marker, userIds: [owner.id, staff.id], ids: await tenantIds(restaurant.id) };
}

/** Every uuid in the restaurant's rows, per table (the `id` column when there is one). */
async function tenantIds(restaurantId: string): Promise<Record<string, string[]>> {
  const tables = await tenantTables();
  return withPlatform("test", async (tx) => {
    const out: Record<string, string[]> = { restaurants: [restaurantId] };
    for (const table of tables) {
      const rows = rowsOf<{ j: Record<string, unknown> }>(await tx.execute(sql`select row_to_json(t) as j from ${sql.identifier(table)} t where restaurant_id = ${restaurantId}`));
      out[table] = rows.map((r) => (typeof r.j.id === "string" ? r.j.id : undefined)).filter((v): v is string => !!v);
    }
    const members = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.restaurantId, restaurantId));
    out.users = members.map((m) => m.userId);
    return out;
  });
}

/** All of a restaurant's rows (and its members' user rows) as one JSON string, for before/after comparison. */
export async function tenantSnapshot(restaurantId: string): Promise<string> {
  const tables = await tenantTables();
  return withPlatform("test", async (tx) => {
    const parts = tables.map(
      (t) => sql`${t}::text, (select coalesce(json_agg(x order by x::text), '[]'::json) from (select row_to_json(r)::text as x from ${sql.identifier(t)} r where restaurant_id = ${restaurantId}) s)`,
    );
    const [row] = rowsOf<{ snapshot: string }>(
      await tx.execute(sql`
        select json_build_object(
          'restaurant', (select row_to_json(r)::text from restaurants r where id = ${restaurantId}),
          'users', (select coalesce(json_agg(row_to_json(u)::text order by u.id), '[]'::json) from users u where u.id in (select user_id from memberships where restaurant_id = ${restaurantId})),
          ${sql.join(parts, sql`, `)}
        )::text as snapshot`),
    );
    return row!.snapshot;
  });
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every uuid in a snapshot: none of them may reach another tenant. */
export function idsIn(snapshot: string): Set<string> {
  return new Set((snapshot.match(UUID_RE) ?? []).map((s) => s.toLowerCase()));
}

/** A marker unlikely to occur anywhere else; every text column of a seeded tenant carries it. */
export function newMarker(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}Q`;
}

/** Session claims for a test persona: their current version and a newly recorded session (a signed-in device). */
export async function sessionOf(userId: string): Promise<SessionClaims> {
  return withPlatform("test", async (tx) => {
    const [u] = await tx.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId));
    const sessionId = await startSession(tx, { userId, userAgent: "vitest", ip: null });
    return { userId, sessionVersion: u?.v ?? 0, sessionId };
  });
}
