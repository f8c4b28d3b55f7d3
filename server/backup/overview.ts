import { and, desc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs } from "@/db/schema";
import { listBackups, type BackupListing } from "./retention";
import { storageFromEnv, type ObjectStorage } from "./storage";

/** The admin overview alerts when no backup succeeded for this long (a daily job, with slack for one late run). */
export const BACKUP_ALERT_AFTER_MS = 26 * 3_600_000;

export type BackupAlert = { alert: false } | { alert: true; reason: "none" | "stale"; hoursSince: number | null };

/** Whether the operator must look: no complete backup at all, or the newest one older than 26 h. Pure. */
export function backupAlert(lastSucceededAt: Date | null, now: Date): BackupAlert {
  if (!lastSucceededAt) return { alert: true, reason: "none", hoursSince: null };
  const age = now.getTime() - lastSucceededAt.getTime();
  return age > BACKUP_ALERT_AFTER_MS ? { alert: true, reason: "stale", hoursSince: Math.floor(age / 3_600_000) } : { alert: false };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * For the admin page: the newest complete backup in storage (the storage is the truth: a backup exists when its
 * manifest does), how many there are, the alert, and the last failed backup job's error, if any since.
 */
export async function backupOverview(tx: Tx, now = new Date(), storage: ObjectStorage = storageFromEnv()) {
  let backups: BackupListing[];
  let storageError: string | null = null;
  try {
    backups = await listBackups(storage);
  } catch (err) {
    backups = [];
    storageError = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300);
  }
  const complete = backups.filter((b) => b.complete);
  const last = complete[0] ?? null;
  const [failed] = await tx
    .select({ error: jobs.error, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(and(eq(jobs.kind, "backup.run"), inArray(jobs.status, ["failed", "dead"])))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  const lastFailure = failed && (!last || (failed.finishedAt && failed.finishedAt > last.at)) ? failed : null;
  return {
    location: storage.location,
    storageError,
    count: complete.length,
    last: last ? { id: last.id, at: last.at, bytes: last.bytes, ageMs: now.getTime() - last.at.getTime() } : null,
    alert: backupAlert(last?.at ?? null, now),
    lastFailure,
  };
}
