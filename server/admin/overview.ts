import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, jobs, posterConnections, restaurants, syncRuns, webhookEvents } from "@/db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every restaurant with what an operator needs at a glance: last sync, connection (token) state and the errors
 * of the last 24 hours. Runs in the platform scope (cross-tenant by nature); a handful of grouped queries, not
 * one per restaurant.
 */
export async function listRestaurantsForAdmin(tx: Tx, now = new Date()) {
  const since = new Date(now.getTime() - DAY_MS);
  const rows = await tx
    .select({
      id: restaurants.id,
      name: restaurants.name,
      accountNumber: restaurants.posterAccountNumber,
      status: restaurants.status,
      pausedReason: restaurants.pausedReason,
      pausedAt: restaurants.pausedAt,
      connectionStatus: posterConnections.status,
      lastCheckedAt: posterConnections.lastCheckedAt,
      connectionError: posterConnections.lastError,
    })
    .from(restaurants)
    .leftJoin(posterConnections, eq(posterConnections.restaurantId, restaurants.id))
    .orderBy(restaurants.name);

  const lastSyncs = await tx
    .selectDistinctOn([syncRuns.restaurantId], {
      restaurantId: syncRuns.restaurantId,
      status: syncRuns.status,
      trigger: syncRuns.trigger,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
      error: syncRuns.error,
    })
    .from(syncRuns)
    .orderBy(syncRuns.restaurantId, desc(syncRuns.startedAt));

  const failedSyncs = await tx
    .select({ restaurantId: syncRuns.restaurantId, n: sql<number>`count(*)::int` })
    .from(syncRuns)
    .where(and(eq(syncRuns.status, "failed"), gte(syncRuns.startedAt, since)))
    .groupBy(syncRuns.restaurantId);
  const failedJobs = await tx
    .select({ restaurantId: jobs.restaurantId, n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(inArray(jobs.status, ["failed", "dead"]), gte(jobs.createdAt, since)))
    .groupBy(jobs.restaurantId);
  const badWebhooks = await tx
    .select({ restaurantId: webhookEvents.restaurantId, n: sql<number>`count(*)::int` })
    .from(webhookEvents)
    .where(and(sql`(${webhookEvents.verified} = false or ${webhookEvents.error} is not null)`, gte(webhookEvents.receivedAt, since)))
    .groupBy(webhookEvents.restaurantId);

  const errors = new Map<string, number>();
  for (const { restaurantId, n } of [...failedSyncs, ...failedJobs, ...badWebhooks]) {
    if (restaurantId) errors.set(restaurantId, (errors.get(restaurantId) ?? 0) + n);
  }
  const syncByRestaurant = new Map(lastSyncs.map((s) => [s.restaurantId, s]));
  return rows.map((r) => ({ ...r, lastSync: syncByRestaurant.get(r.id) ?? null, errors24h: errors.get(r.id) ?? 0 }));
}

/** One restaurant's recent operational log: sync runs, jobs, webhooks and audit entries. */
export async function restaurantLogs(tx: Tx, restaurantId: string) {
  const [restaurant] = await tx.select({ id: restaurants.id, name: restaurants.name }).from(restaurants).where(eq(restaurants.id, restaurantId));
  if (!restaurant) return null;
  const [runs, recentJobs, webhooks, audit] = await Promise.all([
    tx.select().from(syncRuns).where(eq(syncRuns.restaurantId, restaurantId)).orderBy(desc(syncRuns.startedAt)).limit(20),
    tx
      .select({ id: jobs.id, kind: jobs.kind, status: jobs.status, attempts: jobs.attempts, error: jobs.error, createdAt: jobs.createdAt, finishedAt: jobs.finishedAt })
      .from(jobs)
      .where(eq(jobs.restaurantId, restaurantId))
      .orderBy(desc(jobs.createdAt))
      .limit(20),
    tx
      .select({ id: webhookEvents.id, object: webhookEvents.object, objectId: webhookEvents.objectId, action: webhookEvents.action, verified: webhookEvents.verified, outcome: webhookEvents.outcome, error: webhookEvents.error, receivedAt: webhookEvents.receivedAt })
      .from(webhookEvents)
      .where(eq(webhookEvents.restaurantId, restaurantId))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(20),
    tx
      .select({ id: auditLog.id, action: auditLog.action, actorUserId: auditLog.actorUserId, targetType: auditLog.targetType, targetId: auditLog.targetId, createdAt: auditLog.createdAt })
      .from(auditLog)
      .where(eq(auditLog.restaurantId, restaurantId))
      .orderBy(desc(auditLog.createdAt))
      .limit(30),
  ]);
  return { restaurant, syncRuns: runs, jobs: recentJobs, webhooks, audit };
}

/** Admin actions are audited in the same transaction as their effect. */
export async function auditAdminAction(tx: Tx, input: { actorUserId: string; restaurantId: string; action: string; data?: Record<string, unknown> }) {
  await tx.insert(auditLog).values({
    restaurantId: input.restaurantId,
    actorUserId: input.actorUserId,
    action: input.action,
    targetType: "restaurant",
    targetId: input.restaurantId,
    data: input.data ?? null,
  });
}
