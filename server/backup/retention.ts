import { env } from "@/server/env";
import { BACKUPS_FOLDER, backupTime, MANIFEST } from "./format";
import type { ObjectStorage } from "./storage";

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export function retentionFromEnv(): RetentionPolicy {
  const e = env();
  return { daily: e.BACKUP_KEEP_DAILY, weekly: e.BACKUP_KEEP_WEEKLY, monthly: e.BACKUP_KEEP_MONTHLY };
}

export interface BackupListing {
  id: string;
  at: Date;
  /** Has its manifest: a backup that can be restored. */
  complete: boolean;
  bytes: number;
  objects: number;
}

/** Every backup folder in storage, newest first (one listing of the backups/ prefix). */
export async function listBackups(storage: ObjectStorage): Promise<BackupListing[]> {
  const byId = new Map<string, BackupListing>();
  for (const object of await storage.list(`${BACKUPS_FOLDER}/`)) {
    const [, id, name] = object.key.split("/");
    const at = id ? backupTime(id) : null;
    if (!id || !name || !at) continue;
    const entry = byId.get(id) ?? { id, at, complete: false, bytes: 0, objects: 0 };
    entry.bytes += object.size;
    entry.objects += 1;
    if (name === MANIFEST) entry.complete = true;
    byId.set(id, entry);
  }
  return [...byId.values()].sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** A backup without a manifest this old is not running any more (a step runs in minutes): it is removed. */
export const ABANDONED_AFTER_MS = 2 * 86_400_000;

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), in UTC. */
export function isoWeekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * Which backups to keep: the newest complete backup of each of the last `daily` days that have one, of the last
 * `weekly` ISO weeks and of the last `monthly` months (the usual grandfather-father-son rotation, days in UTC).
 * Incomplete ones are kept while they may still be running. Pure: the test drives it with a fake calendar.
 */
export function planRetention(
  backups: readonly BackupListing[],
  policy: RetentionPolicy,
  now: Date,
  /** The backup that just finished: ids have one-second precision, so a same-second older one could win its day. */
  protect: readonly string[] = [],
): { keep: string[]; remove: string[] } {
  const keep = new Set<string>(protect);
  const complete = backups.filter((b) => b.complete).sort((a, b) => b.at.getTime() - a.at.getTime());
  const rules: [number, (d: Date) => string][] = [
    [policy.daily, dayKey],
    [policy.weekly, isoWeekKey],
    [policy.monthly, monthKey],
  ];
  for (const [count, bucket] of rules) {
    const seen = new Set<string>();
    // A protected backup is its bucket's newest (it just finished), whatever the ids' order within a second.
    for (const b of [...complete.filter((c) => protect.includes(c.id)), ...complete.filter((c) => !protect.includes(c.id))]) {
      if (seen.size >= count) break;
      const key = bucket(b.at);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.add(b.id);
    }
  }
  for (const b of backups) if (!b.complete && now.getTime() - b.at.getTime() < ABANDONED_AFTER_MS) keep.add(b.id);
  return { keep: backups.filter((b) => keep.has(b.id)).map((b) => b.id), remove: backups.filter((b) => !keep.has(b.id)).map((b) => b.id) };
}

export interface RetentionResult {
  kept: string[];
  removed: string[];
}

/** Deletes every object of the backups the policy does not keep. */
export async function applyRetention(storage: ObjectStorage, policy: RetentionPolicy, now: Date, protect: readonly string[] = []): Promise<RetentionResult> {
  const backups = await listBackups(storage);
  const plan = planRetention(backups, policy, now, protect);
  if (plan.remove.length) {
    const remove = new Set(plan.remove);
    const objects = (await storage.list(`${BACKUPS_FOLDER}/`)).filter((o) => remove.has(o.key.split("/")[1] ?? ""));
    await storage.delete(objects.map((o) => o.key));
  }
  return { kept: plan.keep, removed: plan.remove };
}
