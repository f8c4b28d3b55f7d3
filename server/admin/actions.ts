import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs, posterConnections, restaurants, supplyPostings, webhookEvents } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { NotFoundError, notReplayableError } from "@/server/errors";
import { enqueueJob } from "@/server/jobs";
import { requestManualSync } from "@/server/jobs/sync-now";
import { REQUEST_ID_KEY } from "@/server/jobs/types";
import { resumePostings, retryPosting } from "@/server/purchasing";
import { assertNotPaused } from "@/server/tenancy/pause";
import { targetForWebhook } from "@/server/webhooks/poster";
import { auditAdminAction } from "./audit";

export interface AdminActor {
  userId: string;
}

/** Force sync: a full sync now (or the one already running), audited with the reason. */
export async function forceSync(actor: AdminActor, input: { restaurantId: string; reason: string }) {
  return withTenant(input.restaurantId, async (tx) => {
    const job = await requestManualSync(tx, input.restaurantId);
    await auditAdminAction(tx, { actorUserId: actor.userId, restaurantId: input.restaurantId, action: "admin.force_sync", reason: input.reason, data: { jobId: job.jobId } });
    return job;
  });
}

/**
 * Replays a failed or dead job as a new job of the same kind and payload (a new id: QStash deduplicates
 * deliveries by job id), at once and with a fresh attempt budget. The old row stays as it was, for the record.
 * A paused or disabled restaurant's jobs are refused: they would only fail again.
 */
export async function replayJob(actor: AdminActor, input: { jobId: string; reason: string }) {
  return withPlatform("admin", async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, input.jobId)).for("update");
    if (!job) throw new NotFoundError("job_not_found", "No such job.");
    if (job.status !== "failed" && job.status !== "dead") throw notReplayableError("Only a failed or dead job can be replayed.");
    if (job.restaurantId) await assertNotPaused(tx, job.restaurantId);
    const { [REQUEST_ID_KEY]: _requestId, ...payload } = job.payload;
    const replay = await enqueueJob(
      {
        kind: job.kind as Parameters<typeof enqueueJob>[0]["kind"],
        restaurantId: job.restaurantId,
        // The same payload (handlers check their payloads strictly); the key names the job it replays.
        payload,
        dedupKey: `replay:${job.id}:${Date.now()}`,
        maxAttempts: job.maxAttempts,
        ...(await flowKeyOf(tx, job.restaurantId)),
      },
      { tx },
    );
    await auditAdminAction(tx, {
      actorUserId: actor.userId,
      restaurantId: job.restaurantId,
      action: "admin.job_replayed",
      reason: input.reason,
      targetType: "job",
      targetId: job.id,
      data: { kind: job.kind, replayJobId: replay.jobId, previousStatus: job.status },
    });
    return { jobId: replay.jobId, replayOf: job.id, kind: job.kind };
  });
}

/**
 * Replays a verified webhook whose sync failed (or that failed itself): the sync it asked for runs again, as a new
 * job. Unverified (rejected) hooks are the security log and are never replayed.
 */
export async function replayWebhook(actor: AdminActor, input: { eventId: string; reason: string }) {
  return withPlatform("admin", async (tx) => {
    const [event] = await tx.select().from(webhookEvents).where(eq(webhookEvents.id, input.eventId));
    if (!event || !event.restaurantId) throw new NotFoundError("webhook_not_found", "No such webhook.");
    if (!event.verified) throw notReplayableError("A rejected webhook is never replayed.");
    const [job] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.dedupKey, `webhook:${event.dedupKey}`));
    const failed = event.error !== null || event.outcome === "error" || job?.status === "failed" || job?.status === "dead";
    if (!failed) throw notReplayableError("Only a failed webhook can be replayed.");
    await assertNotPaused(tx, event.restaurantId);
    const target = targetForWebhook({ ...(event.payload ?? {}), object: event.object ?? undefined, object_id: event.objectId ?? undefined, action: event.action ?? undefined } as never);
    const replay = await enqueueJob(
      target
        ? { kind: "sync.targeted", restaurantId: event.restaurantId, payload: { target, trigger: "webhook" }, dedupKey: `webhook-replay:${event.id}:${Date.now()}` }
        : { kind: "sync.full", restaurantId: event.restaurantId, payload: { trigger: "webhook" }, dedupKey: `webhook-replay:${event.id}:${Date.now()}`, maxAttempts: 3 },
      { tx },
    );
    await tx.update(webhookEvents).set({ outcome: "enqueued", error: null, processedAt: null }).where(eq(webhookEvents.id, event.id));
    await auditAdminAction(tx, {
      actorUserId: actor.userId,
      restaurantId: event.restaurantId,
      action: "admin.webhook_replayed",
      reason: input.reason,
      targetType: "webhook",
      targetId: event.id,
      data: { object: event.object, action: event.action, replayJobId: replay.jobId },
    });
    return { jobId: replay.jobId };
  });
}

/** Retry a failed (or waiting) supply posting, as a manager's "Retry" does, audited as the admin's. */
export async function retrySupplyPosting(actor: AdminActor, input: { restaurantId: string; postingId: string; reason: string }) {
  return withTenant(input.restaurantId, async (tx) => {
    await assertNotPaused(tx, input.restaurantId);
    const [posting] = await tx.select({ id: supplyPostings.id }).from(supplyPostings).where(eq(supplyPostings.id, input.postingId));
    if (!posting) throw new NotFoundError("posting_not_found", "No such supply posting.");
    const result = await retryPosting(tx, { userId: actor.userId }, { postingId: posting.id });
    await auditAdminAction(tx, { actorUserId: actor.userId, restaurantId: input.restaurantId, action: "admin.supply_retried", reason: input.reason, targetType: "supply_posting", targetId: posting.id });
    return result;
  });
}

/**
 * Disable: no syncs (scheduled, manual, webhook), no Poster writes, the restaurant's users see a notice; every row
 * is kept. Enable undoes it and queues the supply postings that waited. Queued jobs of the restaurant fail on
 * their own (their handlers refuse a disabled restaurant). Platform scope.
 */
export async function setRestaurantDisabled(tx: Tx, actor: AdminActor, input: { restaurantId: string; disabled: boolean; reason: string }) {
  const [row] = await tx
    .update(restaurants)
    .set(input.disabled ? { disabledAt: new Date(), disabledReason: input.reason } : { disabledAt: null, disabledReason: null })
    .where(eq(restaurants.id, input.restaurantId))
    .returning({ id: restaurants.id, disabledAt: restaurants.disabledAt, disabledReason: restaurants.disabledReason, status: restaurants.status });
  if (!row) throw new NotFoundError("restaurant_not_found", "No such restaurant.");
  let postingsQueued = 0;
  if (!input.disabled && row.status === "active") {
    postingsQueued = await resumePostings(tx, row.id);
  }
  await auditAdminAction(tx, {
    actorUserId: actor.userId,
    restaurantId: row.id,
    action: input.disabled ? "admin.disable" : "admin.enable",
    reason: input.reason,
    data: input.disabled ? {} : { postingsQueued },
  });
  return { ...row, postingsQueued };
}

async function flowKeyOf(tx: Tx, restaurantId: string | null): Promise<{ flowKey?: string }> {
  if (!restaurantId) return {};
  const [connection] = await tx.select({ account: posterConnections.accountNumber }).from(posterConnections).where(eq(posterConnections.restaurantId, restaurantId));
  return connection?.account ? { flowKey: connection.account } : {};
}
