import { CronExpressionParser } from "cron-parser";
import { log } from "@/server/observability/log";
import { enqueueJob } from "./queue";
import type { BuiltinJobKind } from "./types";

/** The sync dispatcher's cadence; each tick starts the restaurants whose slot is due (see dispatcher.ts). */
export const DISPATCH_TICK_MINUTES = 15;

export interface ScheduleDefinition {
  /** Stable: QStash updates the schedule with this id in place (`rc-<id>`), the runner dedups fires on it. */
  id: string;
  kind: BuiltinJobKind;
  /** Standard 5-field cron, UTC. */
  cron: string;
  description: string;
}

/** Every periodic job, in one place: `npm run schedules:apply` pushes these to QStash, the runner reads them. */
export const SCHEDULES: readonly ScheduleDefinition[] = [
  { id: "sync-dispatch", kind: "sync.dispatch", cron: `*/${DISPATCH_TICK_MINUTES} * * * *`, description: "Start the due restaurants' syncs (each every 6 h, spread out)" },
  { id: "tokens-check", kind: "tokens.check", cron: "17 3 * * *", description: "Check every Poster connection's token; mark and notify broken or expiring ones" },
  { id: "jobs-cleanup", kind: "jobs.cleanup", cron: "41 4 * * *", description: "Delete finished job rows older than 14 days, webhook log entries and metric rollups older than 30" },
  { id: "alerts-check", kind: "alerts.check", cron: "*/5 * * * *", description: "Open and close incidents (sync 24 h old, dead jobs, supplies failing, Poster errors) and e-mail platform admins once each" },
  { id: "backup-run", kind: "backup.run", cron: "23 2 * * *", description: "Back up the whole database (encrypted, to BACKUP_S3_BUCKET or BACKUP_DIR) and apply the retention" },
];

export const qstashScheduleId = (s: ScheduleDefinition) => `rc-${s.id}`;

/** The latest time at or before `now` that the schedule fires. */
export function lastFireTime(s: ScheduleDefinition, now: Date): Date {
  const expr = CronExpressionParser.parse(s.cron, { currentDate: new Date(now.getTime() + 1), tz: "UTC" });
  return expr.prev().toDate();
}

/** The dedup key of one fire: several processes, a restart, or a second poll start it once. */
export const scheduleFireKey = (s: ScheduleDefinition, fire: Date) => `schedule:${s.id}:${fire.toISOString()}`;

const lastFired = new Map<string, number>();

/**
 * In-process: enqueue the latest fire of each schedule, once. A fire missed while the server was down is caught
 * up on start (the most recent one only: the jobs themselves cover what they missed).
 */
export async function fireDueSchedules(now = new Date()): Promise<void> {
  for (const s of SCHEDULES) {
    const fire = lastFireTime(s, now);
    if (lastFired.get(s.id) === fire.getTime()) continue;
    await enqueueJob({
      kind: s.kind,
      restaurantId: null,
      payload: { scheduledAt: fire.toISOString() },
      dedupKey: scheduleFireKey(s, fire),
      dedup: "until-success",
      maxAttempts: 3,
    });
    lastFired.set(s.id, fire.getTime());
    log.debug("schedule fired", { schedule: s.id, fire: fire.toISOString() });
  }
}
