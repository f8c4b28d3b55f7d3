import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "@/server/env";
import { MIGRATIONS_FOLDER } from "./client";
import type { RawConnection, RawSession } from "./raw";

/** Applies db/migrations to DATABASE_URL_DIRECT (else DATABASE_URL) over a single direct connection. */
export async function migratePostgres(url = env().DATABASE_URL_DIRECT ?? env().DATABASE_URL): Promise<void> {
  if (!url) throw new Error("DATABASE_URL is not set: the embedded PGlite database migrates itself on start.");
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface JournalEntry {
  idx: number;
  tag: string;
  /** drizzle records this as the migration's created_at: it is how an applied migration is recognised. */
  when: number;
  breakpoints: boolean;
}

export function readJournal(folder = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as { entries: JournalEntry[] };
  return journal.entries;
}

/**
 * A temporary migrations folder holding the migrations up to and including `tag` (none for null): drizzle's
 * migrator applies "everything in the folder", so stopping at a migration means giving it a shorter folder.
 */
export function migrationsFolderUpTo(tag: string | null, source = MIGRATIONS_FOLDER): { folder: string; remove(): void } {
  const entries = readJournal(source);
  const end = tag === null ? 0 : entries.findIndex((e) => e.tag === tag) + 1;
  if (tag !== null && end === 0) throw new Error(`Unknown migration "${tag}": it is not in ${source}/meta/_journal.json.`);
  const folder = mkdtempSync(path.join(tmpdir(), "rc-migrations-"));
  mkdirSync(path.join(folder, "meta"));
  const kept = entries.slice(0, end);
  writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries: kept }));
  for (const e of kept) copyFileSync(path.join(source, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Migrates a raw connection up to `tag` (null: nothing; undefined: the latest). */
export async function migrateTo(connection: RawConnection, tag?: string | null): Promise<void> {
  if (tag === undefined) return connection.migrate(MIGRATIONS_FOLDER);
  const subset = migrationsFolderUpTo(tag);
  try {
    if (tag !== null) await connection.migrate(subset.folder);
  } finally {
    subset.remove();
  }
}

export interface AppliedMigration {
  tag: string | null;
  hash: string;
  when: number;
}

/** The newest migration applied to the database, by drizzle's record of it; null when none is. */
export async function appliedMigration(session: RawSession): Promise<AppliedMigration | null> {
  const [exists] = await session.query<{ present: boolean }>(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists?.present) return null;
  const [row] = await session.query<{ hash: string; created_at: string }>(
    `select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  );
  if (!row) return null;
  const when = Number(row.created_at);
  return { tag: readJournal().find((e) => e.when === when)?.tag ?? null, hash: row.hash, when };
}
