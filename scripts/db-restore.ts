/**
 * `npm run db:restore -- <backup id | latest>`: loads a backup into an EMPTY database (DATABASE_URL_DIRECT, else
 * DATABASE_URL, else a new embedded PGlite folder PGLITE_DIR), at the backup's migration, verifies every table's
 * rows and checksum against the manifest, then migrates forward.
 *
 * `npm run db:restore -- <backup> --restaurant <id>`: puts ONE restaurant back as it was in the backup, in a live
 * database at the same migration, leaving every other restaurant alone (see README, "Backups").
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { openRawPglite, openRawPostgres } from "@/db/raw";
import { BackupIntegrityError } from "@/server/backup/format";
import { listBackups } from "@/server/backup/retention";
import { restoreBackup, restoreRestaurant, RestoreRefusedError } from "@/server/backup/restore";
import { storageFromEnv } from "@/server/backup/storage";
import { env } from "@/server/env";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { restaurant: { type: "string" } } });

async function main(): Promise<number> {
  const requested = positionals[0];
  if (!requested) {
    console.error("Usage: npm run db:restore -- <backup id | latest> [--restaurant <restaurant id>]   (npm run db:backup -- --list shows the ids)");
    return 2;
  }
  const restaurantId = values.restaurant === undefined ? undefined : z.uuid().parse(values.restaurant);
  const storage = storageFromEnv();
  let backupId = requested;
  if (requested === "latest") {
    const latest = (await listBackups(storage)).find((b) => b.complete);
    if (!latest) throw new RestoreRefusedError(`No complete backup in ${storage.location}.`);
    backupId = latest.id;
  }
  const e = env();
  const url = e.DATABASE_URL_DIRECT ?? e.DATABASE_URL;
  const target = url ? await openRawPostgres(url) : await openRawPglite(e.PGLITE_DIR);
  const where = url ? new URL(url).host + new URL(url).pathname : `PGlite ${e.PGLITE_DIR}`;
  try {
    const started = Date.now();
    if (restaurantId) {
      const r = await restoreRestaurant(backupId, restaurantId, { target, storage });
      console.log(`Restaurant ${r.restaurantId} restored from backup ${r.backupId} into ${where}: ${r.rows} rows verified, ${r.usersAdded} user(s) added back.`);
    } else {
      const r = await restoreBackup(backupId, { target, storage });
      console.log(`Backup ${r.backupId} restored into ${where}: ${r.tables} tables, ${r.rows} rows verified at migration ${r.loadedAt ?? "none"}, now at ${r.migratedTo ?? "none"}.`);
    }
    console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await target.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const known = err instanceof RestoreRefusedError || err instanceof BackupIntegrityError || err instanceof z.ZodError;
  console.error(`Restore ${known ? "refused" : "failed"}: ${err instanceof z.ZodError ? "--restaurant must be a restaurant id (uuid)" : (err as Error).message}`);
  console.error("No data was written: the load is one transaction (a database already migrated by an earlier attempt can be used again).");
  process.exitCode = 1;
}
