/**
 * `npm run db:backup`: backs up the whole database once (as the daily backup.run job does) and prints where it
 * went. `npm run db:backup -- --list` lists the stored backups. Database: DATABASE_URL_DIRECT, else DATABASE_URL,
 * else the embedded PGlite folder (stop `npm run dev` first: one process opens it at a time). Storage:
 * BACKUP_S3_BUCKET, else BACKUP_DIR (default .data/backups). Key: BACKUP_ENCRYPTION_KEYS.
 */
import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { runBackup } from "@/server/backup/backup";
import { formatBytes } from "@/server/backup/overview";
import { listBackups } from "@/server/backup/retention";
import { storageFromEnv } from "@/server/backup/storage";

const { values } = parseArgs({ options: { list: { type: "boolean", default: false } } });

try {
  const storage = storageFromEnv();
  if (values.list) {
    const backups = await listBackups(storage);
    console.log(`${backups.length} backup(s) in ${storage.location}`);
    for (const b of backups) console.log(`${b.id}  ${b.at.toISOString()}  ${b.complete ? "complete  " : "INCOMPLETE"}  ${formatBytes(b.bytes)} in ${b.objects} objects`);
  } else {
    const started = Date.now();
    const result = await runBackup();
    const rows = result.manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`Backup ${result.manifest.id}`);
    console.log(`  location: ${result.location}`);
    console.log(`  size:     ${formatBytes(result.bytes)} in ${result.objects} objects`);
    console.log(`  content:  ${result.manifest.tables.length} tables, ${rows} rows, migration ${result.manifest.migration?.tag ?? "none"}`);
    console.log(`  took:     ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result.retention?.removed.length) console.log(`  retention removed: ${result.retention.removed.join(", ")}`);
  }
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
