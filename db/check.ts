import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { listTables } from "./catalog";
import { MIGRATIONS_FOLDER } from "./client";
import { migrateTo, readJournal, type JournalEntry } from "./migrate";
import { quoteIdent, type RawConnection, type RawSession } from "./raw";

/**
 * `npm run db:check`: the migrations, checked against real databases (whatever migrations exist):
 * 1. all of them apply to an empty database;
 * 2. the schema they produce equals the Drizzle schema (no drift either way);
 * 3. every table with `restaurant_id` has row-level security enabled and forced, a tenant policy, and an index
 *    that starts with `restaurant_id`; app_admin may read and write every table (backups, restores);
 * 4. the latest applies to a database populated at the previous one;
 * 5. the latest's reverse (db/migrations/down/<tag>.sql) brings that database back to the previous schema with its
 *    data, and the latest applies again after it; every migration after the baseline has a reverse or a written
 *    forward fix.
 */

/** Migrations up to this one (the first schema) came before reverses were required. */
export const BASELINE_MIGRATIONS = 3;
export const DOWN_FOLDER = path.join(MIGRATIONS_FOLDER, "down");
const FORWARD_FIX = /^--\s*forward-fix:\s*(\S.*)$/m;

export interface CheckResult {
  name: string;
  ok: boolean;
  details: string[];
}

export type DownScript = { kind: "reverse"; statements: string[] } | { kind: "forward-fix"; reason: string } | { kind: "missing" };

/** A migration's reverse: SQL statements (split like drizzle's, on statement-breakpoint) or a forward-fix note. */
export function readDownScript(tag: string, folder = DOWN_FOLDER): DownScript {
  const file = path.join(folder, `${tag}.sql`);
  if (!existsSync(file)) return { kind: "missing" };
  const text = readFileSync(file, "utf8");
  const fix = FORWARD_FIX.exec(text);
  if (fix) return { kind: "forward-fix", reason: fix[1]!.trim() };
  const statements = text.split("--> statement-breakpoint").map((s) => s.trim()).filter((s) => s.replace(/--[^\n]*/g, "").trim().length > 0);
  return { kind: "reverse", statements };
}

/**
 * Reverts the latest applied migration with its down script, in one transaction, and forgets it in drizzle's
 * journal so `db:migrate` applies it again.
 */
export async function revertMigration(connection: RawConnection, entry: JournalEntry, folder = DOWN_FOLDER): Promise<void> {
  const down = readDownScript(entry.tag, folder);
  if (down.kind !== "reverse") throw new Error(`Migration ${entry.tag} has ${down.kind === "missing" ? "no down script" : `a forward fix instead of a reverse: ${down.reason}`}.`);
  await connection.transaction(async (s) => {
    for (const statement of down.statements) await s.query(statement);
    await s.query(`delete from drizzle.__drizzle_migrations where created_at = $1`, [entry.when]);
  });
}

/** Everything about the schema a migration can change, one line per fact, sorted. `drizzle` = what the Drizzle schema models. */
export async function schemaFingerprint(session: RawSession, scope: "all" | "drizzle" = "all"): Promise<string[]> {
  const parts = [
    `select 'table ' || c.relname || ' rls=' || c.relrowsecurity ${scope === "all" ? "|| ' force=' || c.relforcerowsecurity" : ""} as line
       from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`,
    `select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
            || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`,
    `select 'constraint ' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and k.contype in ('p', 'u', 'f', 'c', 'x')`,
    `select 'index ' || pg_get_indexdef(i.indexrelid)
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
    `select 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' order by e.enumsortorder)
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' group by t.typname`,
    `select 'policy ' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd || ' ' || array_to_string(roles, ',')
            || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-')
       from pg_policies where schemaname = 'public'`,
  ];
  if (scope === "all") {
    // Grants from the ACLs themselves (information_schema's views take seconds on PGlite).
    parts.push(
      `select 'grant ' || c.relname || ' ' || r.rolname || ' ' || a.privilege_type
         from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join lateral aclexplode(c.relacl) a join pg_roles r on r.oid = a.grantee
         where n.nspname = 'public' and c.relkind in ('r', 'p') and r.rolname in ('app_user', 'app_admin')`,
      `select 'column grant ' || c.relname || '.' || t.attname || ' ' || r.rolname || ' ' || a.privilege_type
         from pg_attribute t join pg_class c on c.oid = t.attrelid join pg_namespace n on n.oid = c.relnamespace
         cross join lateral aclexplode(t.attacl) a join pg_roles r on r.oid = a.grantee
         where n.nspname = 'public' and t.attnum > 0 and r.rolname in ('app_user', 'app_admin')`,
      `select 'sequence ' || sequencename || ' ' || data_type::text from pg_sequences where schemaname = 'public'`,
      // Functions only migrations create (app_enter_tenant, ...): name, arguments and a digest of the definition.
      `select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(pg_get_functiondef(p.oid))
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind = 'f'`,
    );
  }
  const rows = await session.query<{ line: string }>(`${parts.join("\nunion all\n")}\norder by 1`);
  return rows.map((r) => r.line);
}

/** Lines in one list and not the other, each side marked, for a message. */
export function differences(expected: readonly string[], actual: readonly string[], labels: [string, string]): string[] {
  const a = new Set(expected);
  const b = new Set(actual);
  return [...expected.filter((l) => !b.has(l)).map((l) => `only ${labels[0]}: ${l}`), ...actual.filter((l) => !a.has(l)).map((l) => `only ${labels[1]}: ${l}`)];
}

/** Row-level security and access on every table (what rls-coverage.test.ts checks, for any database). */
export async function accessProblems(session: RawSession): Promise<string[]> {
  const rows = await session.query<{ table: string; tenant: boolean; enabled: boolean; forced: boolean; policies: number; leading_index: boolean; admin_select: boolean; admin_insert: boolean }>(`
    select c.relname as table,
      exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'restaurant_id' and not a.attisdropped) as tenant,
      c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
      (select count(*)::int from pg_policy p where p.polrelid = c.oid and pg_get_expr(p.polqual, p.polrelid) like '%app.tenant_id%') as policies,
      exists (select 1 from pg_index i join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0] where i.indrelid = c.oid and a.attname = 'restaurant_id') as leading_index,
      has_table_privilege('app_admin', c.oid, 'select') as admin_select, has_table_privilege('app_admin', c.oid, 'insert') as admin_insert
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1`);
  const problems: string[] = [];
  for (const t of rows) {
    if (t.tenant) {
      if (!t.enabled) problems.push(`${t.table}: row-level security is not enabled`);
      if (!t.forced) problems.push(`${t.table}: row-level security is not forced (the owner would see every restaurant)`);
      if (t.policies < 1) problems.push(`${t.table}: no policy on app.tenant_id`);
      if (!t.leading_index) problems.push(`${t.table}: no index that starts with restaurant_id`);
    }
    if (!t.admin_select || !t.admin_insert) problems.push(`${t.table}: app_admin may not read and write it (backups and restores run as app_admin)`);
  }
  return problems;
}

/**
 * Fills every table with a few generated rows, parents first, every foreign key pointing at a row of its own
 * restaurant's chain (row n of a table refers to row n of its parents): what a migration meets in a database that
 * is in use. Runs as app_admin (row-level security is forced). Rows a table refuses are reported, not fatal.
 */
export async function populate(connection: RawConnection, rowsPerTable = 3): Promise<{ rows: number; refused: string[] }> {
  return connection.transaction(async (s) => {
    await s.query("set local role app_admin");
    const tables = await listTables(s);
    const columns = await s.query<{ table: string; column: string; type: string; category: string; enum_labels: string[] | null; not_null: boolean }>(`
      select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, t.typcategory as category,
        (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = a.atttypid) as enum_labels, a.attnotnull as not_null
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace join pg_type t on t.oid = a.atttypid
      where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by c.relname, a.attnum`);
    const fks = await s.query<{ child: string; child_column: string; parent: string; parent_column: string }>(`
      select c.relname as child, ca.attname as child_column, p.relname as parent, pa.attname as parent_column
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = k.conkey[1] join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
      where k.contype = 'f' and n.nspname = 'public'`);
    const inserted = new Map<string, Record<string, unknown>[]>();
    const refused: string[] = [];
    let total = 0;
    for (const table of tables) {
      const cols = columns.filter((c) => c.table === table.name);
      const rows: Record<string, unknown>[] = [];
      for (let n = 0; n < rowsPerTable; n++) {
        const values: string[] = [];
        const params: unknown[] = [];
        const names: string[] = [];
        for (const col of cols) {
          const fk = fks.find((f) => f.child === table.name && f.child_column === col.column) ??
            (col.column === "restaurant_id" ? fks.find((f) => f.child_column === "restaurant_id") : undefined);
          let value: unknown;
          if (fk) {
            const parents = inserted.get(fk.parent) ?? [];
            value = parents.length ? parents[n % parents.length]![fk.parent_column] : null;
            if (value === null && !col.not_null) continue;
          } else {
            value = generated(col, table.name, n);
            if (value === undefined) continue;
          }
          names.push(quoteIdent(col.column));
          params.push(value);
          values.push(`$${params.length}::${col.type}`);
        }
        try {
          await s.query("savepoint populate_row");
          const [row] = await s.query<Record<string, unknown>>(
            `insert into public.${quoteIdent(table.name)} (${names.join(", ")}) values (${values.join(", ")}) returning *`,
            params,
          );
          await s.query("release savepoint populate_row");
          if (row) rows.push(row);
          total++;
        } catch (err) {
          await s.query("rollback to savepoint populate_row");
          refused.push(`${table.name}: ${(err as Error).message.split("\n")[0]}`);
          break;
        }
      }
      inserted.set(table.name, rows);
    }
    return { rows: total, refused };
  });
}

function generated(col: { column: string; type: string; category: string; enum_labels: string[] | null }, table: string, n: number): unknown {
  if (col.enum_labels?.length) return col.enum_labels[n % col.enum_labels.length];
  if (col.category === "A") return "{}";
  const t = col.type;
  if (t === "uuid") return crypto.randomUUID();
  if (t === "text" || t.startsWith("character varying")) return col.column.includes("email") ? `check-${table}-${n}@check.local` : `check ${table}.${col.column} ${n}`;
  if (["integer", "bigint", "smallint"].includes(t)) return 1000 + n;
  if (t.startsWith("numeric")) return `${n}.5`;
  if (t === "double precision" || t === "real") return n + 0.25;
  if (t === "boolean") return n % 2 === 0;
  if (t.startsWith("timestamp")) return new Date(Date.UTC(2026, 0, 1 + n)).toISOString();
  if (t === "date") return `2026-01-0${1 + (n % 9)}`;
  if (t === "jsonb" || t === "json") return JSON.stringify({ check: n });
  return undefined;
}

export async function rowCounts(session: RawSession): Promise<Record<string, number>> {
  await session.query("set local role app_admin");
  const out: Record<string, number> = {};
  for (const t of await listTables(session)) {
    const [row] = await session.query<{ n: number }>(`select count(*)::int as n from public.${quoteIdent(t.name)}`);
    out[t.name] = row!.n;
  }
  return out;
}

/** Opens a fresh empty database for one check (a new in-memory PGlite, or the disposable Postgres wiped). */
export type FreshDatabase = () => Promise<RawConnection>;

/** Drops everything migrations create (tables, types, drizzle's journal), keeping the schema and its grants. */
export const WIPE = `
  drop schema if exists drizzle cascade;
  do $$ declare r record; begin
    for r in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') loop
      execute format('drop table if exists public.%I cascade', r.relname);
    end loop;
    for r in select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typtype in ('e', 'd') loop
      execute format('drop type if exists public.%I cascade', r.typname);
    end loop;
    for r in select p.oid::regprocedure as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
      execute format('drop function if exists %s cascade', r.f);
    end loop;
    for r in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' loop
      execute format('drop sequence if exists public.%I cascade', r.relname);
    end loop;
  end $$;`;

/**
 * One database for all the checks, wiped before each: starting an embedded database costs seconds, wiping one
 * milliseconds. `open` makes the connection (a PGlite in memory, or the disposable Postgres).
 */
export function reusedDatabase(open: () => Promise<RawConnection>): { fresh: FreshDatabase; close(): Promise<void> } {
  let shared: RawConnection | null = null;
  return {
    fresh: async () => {
      shared ??= await open();
      await shared.exec(WIPE);
      return { ...shared, close: async () => {} };
    },
    close: async () => {
      if (shared) {
        await shared.exec(WIPE);
        await shared.close();
      }
    },
  };
}

/**
 * The Drizzle schema as drizzle-kit would create it from scratch (after the roles its policies name), in a fresh
 * database: what the migrations must add up to.
 */
export async function buildFromSchema(connection: RawConnection): Promise<void> {
  const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
  const schema = await import("./schema");
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(schema as Record<string, unknown>));
  const roles = readFileSync(path.join(MIGRATIONS_FOLDER, `${readJournal()[0]!.tag}.sql`), "utf8").split("--> statement-breakpoint");
  await connection.transaction(async (s) => {
    for (const statement of [...roles, ...statements]) if (statement.trim()) await s.query(statement);
  });
}

export async function runChecks(fresh: FreshDatabase, options: { all?: boolean; log?: (line: string) => void } = {}): Promise<CheckResult[]> {
  const journal = readJournal();
  const latest = journal[journal.length - 1]!;
  const previous = journal[journal.length - 2] ?? null;
  const results: CheckResult[] = [];
  const record = (name: string, details: string[]) => {
    results.push({ name, ok: details.length === 0, details });
    options.log?.(`${details.length === 0 ? "✓" : "✗"} ${name}${details.length ? `\n    ${details.slice(0, 20).join("\n    ")}` : ""}`);
  };
  const attempt = async (name: string, fn: () => Promise<string[]>) => {
    try {
      record(name, await fn());
    } catch (err) {
      record(name, [(err as Error).message.split("\n")[0]!]);
    }
  };

  // 1–3: empty database → every migration; its schema vs the Drizzle schema; RLS and access.
  let migrated: string[] = [];
  await attempt(`all ${journal.length} migrations apply to an empty database`, async () => {
    const db = await fresh();
    try {
      await migrateTo(db);
      migrated = await db.transaction((s) => schemaFingerprint(s, "drizzle"));
      const access = await db.transaction((s) => accessProblems(s));
      record("every restaurant_id table: row-level security enabled and forced, a tenant policy, a restaurant_id index; app_admin reads and writes every table", access);
      return [];
    } finally {
      await db.close();
    }
  });
  await attempt("the migrations produce exactly the Drizzle schema (no drift)", async () => {
    const db = await fresh();
    try {
      await buildFromSchema(db);
      const fromSchema = await db.transaction((s) => schemaFingerprint(s, "drizzle"));
      return differences(fromSchema, migrated, ["in db/schema", "in the migrations"]);
    } finally {
      await db.close();
    }
  });

  // 4–5 for the latest migration (every one with --all).
  const targets = options.all ? journal.slice(1) : previous ? [latest] : [];
  for (const target of targets) {
    const before = journal[journal.indexOf(target) - 1]!;
    await attempt(`${target.tag} applies to a database populated at ${before.tag}, and its reverse restores ${before.tag} with its data`, async () => {
      const problems: string[] = [];
      const db = await fresh();
      try {
        await migrateTo(db, before.tag);
        const schemaBefore = await db.transaction((s) => schemaFingerprint(s));
        const filled = await populate(db);
        if (filled.refused.length) options.log?.(`    (generated rows refused: ${filled.refused.join("; ")})`);
        const countsBefore = await db.transaction((s) => rowCounts(s));
        await migrateTo(db, target.tag);
        const schemaAfter = await db.transaction((s) => schemaFingerprint(s));
        const down = readDownScript(target.tag);
        if (journal.indexOf(target) < BASELINE_MIGRATIONS) return problems;
        if (down.kind === "missing") return [`no reverse: add db/migrations/down/${target.tag}.sql (or a "-- forward-fix: why" note), see db/migrations/README.md`];
        if (down.kind === "forward-fix") {
          options.log?.(`    (${target.tag} is reversed by a forward fix: ${down.reason})`);
          return problems;
        }
        await revertMigration(db, target);
        const schemaReverted = await db.transaction((s) => schemaFingerprint(s));
        problems.push(...differences(schemaBefore, schemaReverted, [`at ${before.tag}`, "after the reverse"]));
        const countsReverted = await db.transaction((s) => rowCounts(s));
        for (const [table, n] of Object.entries(countsBefore)) {
          if (countsReverted[table] !== n) problems.push(`the reverse lost rows of ${table}: ${n} before, ${countsReverted[table] ?? "table gone"} after`);
        }
        await migrateTo(db, target.tag);
        const schemaAgain = await db.transaction((s) => schemaFingerprint(s));
        problems.push(...differences(schemaAfter, schemaAgain, ["after the migration", "after reverse and migration again"]));
        return problems;
      } finally {
        await db.close();
      }
    });
  }

  const missing = journal.slice(BASELINE_MIGRATIONS).filter((e) => readDownScript(e.tag).kind === "missing");
  record(
    `every migration after the baseline has a reverse or a forward fix (db/migrations/down/)`,
    missing.map((e) => `${e.tag}: no db/migrations/down/${e.tag}.sql`),
  );
  return results;
}
