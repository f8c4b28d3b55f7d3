import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs } from "@/db/schema";
import { withTenant } from "@/db/scope";
import { backupKeyring } from "@/server/backup/format";
import { storageFromEnv, type ObjectStorage } from "@/server/backup/storage";
import { openBytes, sealBytes } from "@/server/crypto/secrets";
import { switchedOffError } from "@/server/errors";
import { isFlagOn } from "@/server/flags";
import { enqueueJob } from "@/server/jobs/queue";
import type { JobContext } from "@/server/jobs/types";
import { buildRestaurantExport } from "./restaurant-export";

/** Exports are kept this long in storage (then jobs.cleanup deletes them), sealed like the backups. */
export const EXPORT_KEEP_MS = 7 * 86_400_000;
export const EXPORT_KIND = "export.restaurant" as const;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
export const exportKey = (restaurantId: string, jobId: string, at: Date) => `exports/${restaurantId}/${stamp(at)}-${jobId}.zip.bin`;

/** Starts one export of the caller's restaurant (a second click while one runs joins it). */
export async function requestExport(tx: Tx, restaurantId: string) {
  // Rolled out restaurant by restaurant (the export.owner flag: 5 restaurants first).
  if (!(await isFlagOn(tx, "export.owner", restaurantId))) throw switchedOffError("export.owner", "The data export is not available for this restaurant yet.");
  return enqueueJob({ kind: EXPORT_KIND, restaurantId, dedupKey: `export:${restaurantId}`, dedup: "while-active", maxAttempts: 3 }, { tx });
}

/** The job: the data read in the restaurant's own tenant transaction, zipped, sealed, stored; progress per file. */
export async function runExport(ctx: JobContext, restaurantId: string, storage: ObjectStorage = storageFromEnv()) {
  const result = await withTenant(restaurantId, (tx) => buildRestaurantExport(tx, restaurantId, (done, total, label) => void ctx.reportProgress(done, total, label)));
  const key = exportKey(restaurantId, ctx.jobId, new Date());
  await storage.put(key, sealBytes(result.zip, { keyring: backupKeyring(), aad: key }));
  return { objectKey: key, bytes: result.zip.length, files: result.files };
}

/** The latest export of the restaurant, as the settings page shows it (RLS: only the caller's restaurant's jobs). */
export async function latestExport(tx: Tx) {
  const [job] = await tx
    .select({ id: jobs.id, status: jobs.status, progress: jobs.progress, result: jobs.result, error: jobs.error, createdAt: jobs.createdAt, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(eq(jobs.kind, EXPORT_KIND))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  if (!job) return null;
  const result = job.result as { bytes?: number; files?: { name: string; rows: number }[] } | null;
  const expired = job.finishedAt ? job.finishedAt.getTime() + EXPORT_KEEP_MS < Date.now() : false;
  return {
    id: job.id,
    status: job.status,
    progress: job.progress,
    bytes: result?.bytes ?? null,
    files: result?.files ?? [],
    error: job.status === "failed" || job.status === "dead" ? "failed" : null,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    expired,
  };
}

/** The stored zip of one finished export of the caller's restaurant, or null (another restaurant's, unfinished, expired). */
export async function exportObjectKey(tx: Tx, jobId: string): Promise<string | null> {
  const [job] = await tx
    .select({ status: jobs.status, result: jobs.result, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.kind, EXPORT_KIND)));
  const key = (job?.result as { objectKey?: string } | null)?.objectKey;
  if (!job || job.status !== "succeeded" || !key || !job.finishedAt || job.finishedAt.getTime() + EXPORT_KEEP_MS < Date.now()) return null;
  return key;
}

export async function readExport(key: string, storage: ObjectStorage = storageFromEnv()): Promise<Buffer> {
  return openBytes(await storage.get(key), { keyring: backupKeyring(), aad: key });
}

/** Part of jobs.cleanup: exports older than EXPORT_KEEP_MS leave the storage. */
export async function deleteOldExports(now = new Date(), storage: ObjectStorage = storageFromEnv()): Promise<number> {
  const old = (await storage.list("exports/")).filter((o) => {
    const m = /\/(\d{8}T\d{6}Z)-/.exec(o.key);
    if (!m) return false;
    const s = m[1]!;
    const at = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
    return at + EXPORT_KEEP_MS < now.getTime();
  });
  if (old.length) await storage.delete(old.map((o) => o.key));
  return old.length;
}
