/**
 * `npm run db:rollback`: reverts the latest migration applied to DATABASE_URL_DIRECT (else DATABASE_URL, else the
 * embedded PGLITE_DIR) with its down script (db/migrations/down/<tag>.sql), in one transaction, and forgets it so
 * `npm run db:migrate` applies it again. Refuses a migration that has a forward fix instead of a reverse. Deploy the
 * previous version of the app first: it is the one that matches the reverted schema.
 */
import { revertMigration } from "@/db/check";
import { appliedMigration, readJournal } from "@/db/migrate";
import { openRawPglite, openRawPostgres } from "@/db/raw";
import { env } from "@/server/env";

const e = env();
const url = e.DATABASE_URL_DIRECT ?? e.DATABASE_URL;
const connection = url ? await openRawPostgres(url) : await openRawPglite(e.PGLITE_DIR);
try {
  const applied = await connection.transaction((s) => appliedMigration(s));
  const entry = applied && readJournal().find((j) => j.when === applied.when);
  if (!entry) throw new Error(applied ? "The database's latest migration is not in this version's journal." : "No migration is applied.");
  await revertMigration(connection, entry);
  console.log(`Reverted ${entry.tag}; the database is at ${readJournal()[entry.idx - 1]?.tag ?? "no migration"}.`);
} catch (err) {
  console.error(`Rollback refused: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await connection.close();
}
