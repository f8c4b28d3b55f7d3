import { and, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import { jobs, webhookEvents } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { deleteOldSessions } from "@/server/accounts/sessions";
import { evaluateAlerts } from "@/server/admin/alerts";
import { deleteOldExports } from "@/server/export/export-job";
import { pruneMetricRollups } from "@/server/observability/metrics";
import { dispatchSyncs } from "./dispatcher";
import { registerJobHandler } from "./registry";
import { checkAllConnections, sendReconnectNotice } from "./tokens";
import { PermanentJobError, type JobContext } from "./types";

/** Payloads are a boundary too (a QStash body, a row written by an older version): a bad one fails for good. */
export function parsePayload<T extends z.ZodType>(schema: T, ctx: JobContext): z.infer<T> {
  const result = schema.safeParse(ctx.payload);
  if (!result.success) throw new PermanentJobError(`Invalid ${ctx.kind} payload: ${z.prettifyError(result.error)}`);
  return result.data;
}

export function requireRestaurant(ctx: JobContext): string {
  if (!ctx.restaurantId) throw new PermanentJobError(`${ctx.kind} needs a restaurant`);
  return ctx.restaurantId;
}

const scheduled = z.object({ scheduledAt: z.iso.datetime().optional(), after: z.uuid().optional() });

/** Finished job rows and webhook log entries are kept this long (the admin area shows the recent ones). */
const JOB_RETENTION_MS = 14 * 86_400_000;
const WEBHOOK_RETENTION_MS = 30 * 86_400_000;

/**
 * The builtin handlers. Each is idempotent:
 * - sync.dispatch: enqueues with per-period dedup keys, so a second run joins the same jobs;
 * - tokens.check: records what Poster answers now; notices dedup per connection and state;
 * - tokens.notify: dedup "until-success" on (restaurant, state, connected_at) gives one e-mail per state change;
 * - alerts.check: an incident opens once per (rule, subject) and closes once; the e-mails follow those changes;
 * - jobs.cleanup: deletes by age (metric rollups after 30 days too), a second run finds nothing more.
 * The sync and supply handlers are registered in sync-handlers.ts and supply-handler.ts.
 */
export function registerBuiltinHandlers(): void {
  registerJobHandler("sync.dispatch", async (ctx) => {
    const { scheduledAt } = parsePayload(scheduled, ctx);
    return dispatchSyncs(scheduledAt ? new Date(scheduledAt) : new Date());
  });

  registerJobHandler("tokens.check", async (ctx) => {
    const { scheduledAt, after } = parsePayload(scheduled, ctx);
    return checkAllConnections({ scheduledAt: scheduledAt ?? new Date().toISOString(), ...(after ? { after } : {}) });
  });

  registerJobHandler("tokens.notify", async (ctx) => {
    const { status } = parsePayload(z.object({ status: z.enum(["needs_reconnect", "expiring"]) }), ctx);
    return sendReconnectNotice(requireRestaurant(ctx), status);
  });

  // Evaluated at the time it runs (a late fire still judges the present); incidents deduplicate themselves.
  registerJobHandler("alerts.check", async () => evaluateAlerts(new Date()));

  registerJobHandler("jobs.cleanup", async () => {
    const now = Date.now();
    return withPlatform("jobs", async (tx) => {
      const deletedJobs = await tx
        .delete(jobs)
        .where(and(inArray(jobs.status, ["succeeded", "failed", "dead"]), lt(jobs.finishedAt, new Date(now - JOB_RETENTION_MS))))
        .returning({ id: jobs.id });
      const deletedWebhooks = await tx
        .delete(webhookEvents)
        .where(lt(webhookEvents.receivedAt, new Date(now - WEBHOOK_RETENTION_MS)))
        .returning({ id: webhookEvents.id });
      return {
        jobs: deletedJobs.length,
        webhookEvents: deletedWebhooks.length,
        userSessions: await deleteOldSessions(tx),
        metricRollups: await pruneMetricRollups(tx, new Date(now)),
      };
    }).then(async (counts) => ({ ...counts, exports: await deleteOldExports(new Date(now)) }));
  });
}
