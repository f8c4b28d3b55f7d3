import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@/server/env";
import { getDatabase, openPgliteAsOwner } from "./client";

/**
 * One connection below drizzle, for the work drizzle has no words for: COPY streams (backups, restores), whole-
 * database checks and migrations to a given point. Postgres gets a dedicated connection of its own (never one of
 * the app's pool, so a long snapshot holds nothing the app needs); the embedded PGlite is used directly, and COPY
 * goes through its blob device (`/dev/blob`) since it has no COPY protocol.
 */
export interface RawSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** `COPY table (columns) TO` the sink, Postgres text format; the sink is ended. */
  copyOut(table: string, columns: readonly string[], sink: Writable): Promise<void>;
  /**
   * `COPY table (columns) FROM` the source, Postgres text format. On Postgres, an error the server raises after
   * the last row was sent is never reported (postgres.js has let go of the stream): the call waits forever. Load
   * into a table without constraints (a temporary one) and move the rows with INSERT … SELECT.
   */
  copyIn(table: string, columns: readonly string[], source: Readable): Promise<void>;
}

export interface TransactionOptions {
  isolation?: "read committed" | "repeatable read";
  readOnly?: boolean;
}

export interface RawConnection {
  kind: "postgres" | "pglite";
  /** One transaction; throwing rolls it back. */
  transaction<T>(fn: (s: RawSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Statements outside a transaction (DDL of checks, migrations' own transactions). */
  exec(text: string): Promise<void>;
  /** Applies a drizzle migrations folder (see db/migrate.ts for folders that stop at a given migration). */
  migrate(folder: string): Promise<void>;
  /** drizzle on this same connection (schema introspection in the checks). */
  drizzle(): Promise<unknown>;
  close(): Promise<void>;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const copyTarget = (table: string, columns: readonly string[]) => `${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")})`;

function beginClause(options: TransactionOptions = {}): string {
  const parts = [`isolation level ${options.isolation ?? "read committed"}`];
  if (options.readOnly) parts.push("read only");
  return parts.join(" ");
}

export async function openRawPostgres(url: string): Promise<RawConnection> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, prepare: false, onnotice: () => {}, idle_timeout: 20, connect_timeout: 10 });
  const session = (tx: typeof sql): RawSession => ({
    query: async <T,>(text: string, params: unknown[] = []) => (await tx.unsafe(text, params as never[])) as unknown as T[],
    copyOut: async (table, columns, sink) => {
      const stream = await tx.unsafe(`copy ${copyTarget(table, columns)} to stdout`).readable();
      try {
        await pipeline(stream, sink);
      } finally {
        // postgres.js pauses its socket when the stream is full and resumes it only from _read; if the last row
        // filled it, the stream ends with the socket still paused and the next query waits forever (measured
        // about one run in three here). Resuming it once more is what _read does.
        (stream as unknown as { _read(): void })._read();
      }
    },
    copyIn: async (table, columns, source) => pipeline(source, await tx.unsafe(`copy ${copyTarget(table, columns)} from stdin`).writable()),
  });
  return {
    kind: "postgres",
    transaction: async (fn, options) => (await sql.begin(beginClause(options), (tx) => fn(session(tx as unknown as typeof sql)))) as never,
    exec: async (text) => {
      await sql.unsafe(text);
    },
    migrate: async (folder) => {
      const { drizzle } = await import("drizzle-orm/postgres-js");
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      await migrate(drizzle(sql), { migrationsFolder: folder });
    },
    drizzle: async () => (await import("drizzle-orm/postgres-js")).drizzle(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}

type PGliteClient = Awaited<ReturnType<typeof openPgliteAsOwner>>;
type PGliteTx = Parameters<Parameters<PGliteClient["transaction"]>[0]>[0];

async function collect(source: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as string));
  return Buffer.concat(parts);
}

/**
 * COPY through the blob device is file access, which Postgres allows superusers only; the embedded database's
 * session was opened by its superuser and then became the owner, so one statement can go back and return (LOCAL:
 * the transaction's end undoes it anyway). The superuser sees every row, as app_admin does.
 */
async function asSuperuser<T>(tx: PGliteTx, fn: () => Promise<T>): Promise<T> {
  const [who] = (
    await tx.query<{ session: string; current: string; superuser: string }>(
      `select session_user as session, current_user as current, (select rolname from pg_roles where rolsuper order by oid limit 1) as superuser`,
    )
  ).rows;
  await tx.exec(`set local session authorization ${quoteIdent(who!.superuser)}`);
  try {
    return await fn();
  } finally {
    await tx.exec(`set local session authorization ${quoteIdent(who!.session)}`);
    if (who!.current !== who!.session) await tx.exec(`set local role ${quoteIdent(who!.current)}`);
  }
}

/** The embedded database: one table's COPY is held in memory (it is a development database). */
export function rawPglite(client: PGliteClient, options: { closeWithConnection: boolean }): RawConnection {
  const session = (tx: PGliteTx): RawSession => ({
    query: async <T,>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows,
    copyOut: async (table, columns, sink) => {
      const result = await asSuperuser(tx, () => tx.query(`copy ${copyTarget(table, columns)} to '/dev/blob'`));
      const data = result.blob ? Buffer.from(await result.blob.arrayBuffer()) : Buffer.alloc(0);
      await pipeline(Readable.from([data]), sink);
    },
    copyIn: async (table, columns, source) => {
      const data = await collect(source);
      await asSuperuser(tx, () => tx.query(`copy ${copyTarget(table, columns)} from '/dev/blob'`, [], { blob: new Blob([new Uint8Array(data)]) }));
    },
  });
  return {
    kind: "pglite",
    transaction: (fn, options) =>
      client.transaction(async (tx) => {
        await tx.exec(`set transaction ${beginClause(options)}`);
        return fn(session(tx));
      }),
    exec: async (text) => {
      await client.exec(text);
    },
    migrate: async (folder) => {
      const { drizzle } = await import("drizzle-orm/pglite");
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(drizzle(client), { migrationsFolder: folder });
    },
    drizzle: async () => (await import("drizzle-orm/pglite")).drizzle(client),
    close: async () => {
      if (options.closeWithConnection) await client.close();
    },
  };
}

export async function openRawPglite(dir: string): Promise<RawConnection> {
  return rawPglite(await openPgliteAsOwner(dir), { closeWithConnection: true });
}

/**
 * A raw connection to the app's own database: a new direct connection to Postgres (DATABASE_URL_DIRECT, else
 * DATABASE_URL), or the embedded database this process already has open (closing it leaves that open).
 */
export async function rawConnectionForApp(): Promise<RawConnection> {
  const e = env();
  const url = e.DATABASE_URL_DIRECT ?? e.DATABASE_URL;
  if (url) return openRawPostgres(url);
  const handle = await getDatabase();
  if (!handle.pglite) throw new Error("The embedded database is not open.");
  return rawPglite(handle.pglite, { closeWithConnection: false });
}
