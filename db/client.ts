import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { env } from "@/server/env";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** What every domain function receives: a transaction already scoped to a tenant (or to the platform). */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db/migrations");

interface Handle {
  db: Database;
  kind: "postgres" | "pglite";
  /** The embedded database itself, for db/raw.ts (COPY through its blob device); null on Postgres. */
  pglite: PGliteClient | null;
  close(): Promise<void>;
}

type PGliteClient = PGlite;

const globalForDb = globalThis as unknown as { __rcDb?: Promise<Handle> };

/** Sees every statement drizzle sends (text and parameters); begin/commit are not included. */
export type QueryObserver = (query: string, params: unknown[]) => void;
let observer: QueryObserver | null = null;

/**
 * For the plan check and the benchmark (statements per request): one observer at a time, null to stop. Costs one
 * null check per statement when unset.
 */
export function observeQueries(fn: QueryObserver | null): void {
  observer = fn;
}

const logger = { logQuery: (query: string, params: unknown[]) => observer?.(query, params) };

async function openPostgres(url: string): Promise<Handle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const e = env();
  const sql = postgres(url, {
    max: e.DATABASE_POOL_MAX,
    // Behind a transaction pooler (PgBouncer, Neon/Supabase pooled URLs) prepared statements must be off.
    prepare: e.DATABASE_PREPARE === "true",
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
  });
  const db = drizzle(sql, { schema, logger }) as unknown as Database;
  return { db, kind: "postgres", pglite: null, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Embedded default: PGlite in-process. It connects as a non-superuser owner (like a hosted Postgres would) and
 * is migrated on open. The demo data is not ours to add: startup seeds it (server/demo).
 */
async function openPglite(dir: string): Promise<Handle> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await openPgliteAsOwner(dir);
  const db = drizzle(client, { schema, logger }) as unknown as Database;
  await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, kind: "pglite", pglite: client, close: () => client.close() };
}

/** An embedded database (a folder, or "memory"), connected as its non-superuser owner; not migrated. */
export async function openPgliteAsOwner(dir: string): Promise<PGliteClient> {
  const { PGlite } = await import("@electric-sql/pglite");
  const dataDir = dir === "memory" ? "memory://" : path.resolve(dir);
  if (dir !== "memory") mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  await client.exec(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'owner') THEN
        CREATE ROLE owner LOGIN CREATEROLE;
      END IF;
    END $$;
    GRANT ALL ON SCHEMA public TO owner;
    GRANT CREATE ON DATABASE postgres TO owner;
    SET SESSION AUTHORIZATION owner;
  `);
  return client;
}

function open(): Promise<Handle> {
  const e = env();
  return e.DATABASE_URL ? openPostgres(e.DATABASE_URL) : openPglite(e.PGLITE_DIR);
}

/** The root database handle. Only db/ (scopes, migrations) and scripts may import this module. */
export async function getDatabase(): Promise<Handle> {
  globalForDb.__rcDb ??= open().catch((err: unknown) => {
    globalForDb.__rcDb = undefined;
    throw err;
  });
  return globalForDb.__rcDb;
}

export async function closeDatabase(): Promise<void> {
  const handle = globalForDb.__rcDb;
  globalForDb.__rcDb = undefined;
  if (handle) await (await handle).close();
}
