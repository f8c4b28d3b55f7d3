import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import {
  auditLog, departments, invitations, jobs, memberships, posterConnections, purchaseOrders, receipts, restaurants, suppliers, supplyPostings, syncRuns, users,
  webhookEvents,
} from "@/db/schema";
import { maskSecrets } from "./mask";

/**
 * One restaurant as an operator reads it: its state, sync runs (counts, skipped rows, errors), jobs, webhook log
 * (payloads with secrets masked), supply postings (order number, supplier, department) and the audit log with the
 * person who acted and the person or thing it concerned named. Platform scope.
 */
export async function restaurantDetail(tx: Tx, restaurantId: string) {
  const [restaurant] = await tx
    .select({
      id: restaurants.id, name: restaurants.name, accountNumber: restaurants.posterAccountNumber, accountLogin: restaurants.posterAccountLogin,
      status: restaurants.status, pausedReason: restaurants.pausedReason, pausedAt: restaurants.pausedAt, disabledAt: restaurants.disabledAt,
      disabledReason: restaurants.disabledReason, timezone: restaurants.timezone, locale: restaurants.locale, createdAt: restaurants.createdAt,
      connectionStatus: posterConnections.status, connectionCheckedAt: posterConnections.lastCheckedAt, connectionError: posterConnections.lastError,
    })
    .from(restaurants)
    .leftJoin(posterConnections, eq(posterConnections.restaurantId, restaurants.id))
    .where(eq(restaurants.id, restaurantId));
  if (!restaurant) return null;
  const actor = alias(users, "actor");
  const [runs, recentJobs, webhooks, postings, audit] = await Promise.all([
    tx.select().from(syncRuns).where(eq(syncRuns.restaurantId, restaurantId)).orderBy(desc(syncRuns.startedAt)).limit(20),
    tx
      .select({ id: jobs.id, kind: jobs.kind, status: jobs.status, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts, error: jobs.error, createdAt: jobs.createdAt, startedAt: jobs.startedAt, finishedAt: jobs.finishedAt, progress: jobs.progress })
      .from(jobs)
      .where(eq(jobs.restaurantId, restaurantId))
      .orderBy(desc(jobs.createdAt))
      .limit(30),
    tx
      .select({
        id: webhookEvents.id, object: webhookEvents.object, objectId: webhookEvents.objectId, action: webhookEvents.action, verified: webhookEvents.verified,
        outcome: webhookEvents.outcome, error: webhookEvents.error, payload: webhookEvents.payload, receivedAt: webhookEvents.receivedAt,
        // The sync the hook asked for (its job carries the hook's key): failed or dead → the hook can be replayed.
        // Qualified by hand: drizzle writes a lone table's columns unqualified, which the subquery would read as j's.
        jobStatus: sql<string | null>`(select j.status::text from jobs j where j.dedup_key = 'webhook:' || webhook_events.dedup_key)`,
      })
      .from(webhookEvents)
      .where(eq(webhookEvents.restaurantId, restaurantId))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(20),
    tx
      .select({
        id: supplyPostings.id, status: supplyPostings.status, attempts: supplyPostings.attempts, lastError: supplyPostings.lastError, posterSupplyId: supplyPostings.posterSupplyId,
        postedAt: supplyPostings.postedAt, createdAt: supplyPostings.createdAt, updatedAt: supplyPostings.updatedAt,
        orderNumber: purchaseOrders.number, supplierName: suppliers.name, departmentName: departments.name,
      })
      .from(supplyPostings)
      .innerJoin(receipts, eq(receipts.id, supplyPostings.receiptId))
      .innerJoin(purchaseOrders, eq(purchaseOrders.id, receipts.orderId))
      .leftJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
      .leftJoin(departments, eq(departments.id, supplyPostings.departmentId))
      .where(eq(supplyPostings.restaurantId, restaurantId))
      .orderBy(desc(supplyPostings.createdAt))
      .limit(20),
    tx
      .select({
        id: auditLog.id, action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, data: auditLog.data, createdAt: auditLog.createdAt,
        actorName: actor.name, actorEmail: actor.email,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorUserId))
      .where(eq(auditLog.restaurantId, restaurantId))
      .orderBy(desc(auditLog.createdAt))
      .limit(50),
  ]);
  const targets = await targetNames(tx, audit);
  return {
    restaurant,
    syncRuns: runs.map((r) => ({ ...r, durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null })),
    jobs: recentJobs.map((j) => ({ ...j, replayable: j.status === "failed" || j.status === "dead" })),
    webhooks: webhooks.map(({ payload, ...w }) => ({
      ...w,
      payload: payload ? maskSecrets(payload) : null,
      replayable: w.verified && (w.error !== null || w.outcome === "error" || w.jobStatus === "failed" || w.jobStatus === "dead"),
    })),
    postings: postings.map((p) => ({ ...p, retryable: p.status === "failed" || p.status === "pending" })),
    audit: audit.map(({ actorName, actorEmail, ...a }) => ({
      ...a,
      data: a.data ? maskSecrets(a.data) : null,
      actor: actorName || actorEmail || null,
      target: a.targetId ? (targets.get(`${a.targetType}:${a.targetId}`) ?? null) : null,
    })),
  };
}

/** A person's name (or e-mail) for membership, user and invitation targets: the log says who, not a UUID. */
async function targetNames(tx: Tx, audit: { targetType: string | null; targetId: string | null }[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(audit.filter((a) => a.targetType === type && a.targetId && /^[0-9a-f-]{36}$/i.test(a.targetId)).map((a) => a.targetId!))];
  const names = new Map<string, string>();
  const membershipIds = ids("membership");
  const userIds = ids("user");
  const invitationIds = ids("invitation");
  if (membershipIds.length) {
    for (const m of await tx.select({ id: memberships.id, name: users.name, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(inArray(memberships.id, membershipIds))) {
      names.set(`membership:${m.id}`, m.name || m.email);
    }
  }
  if (userIds.length) {
    for (const u of await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds))) names.set(`user:${u.id}`, u.name || u.email);
  }
  if (invitationIds.length) {
    for (const i of await tx.select({ id: invitations.id, email: invitations.email, role: invitations.role }).from(invitations).where(and(inArray(invitations.id, invitationIds)))) {
      names.set(`invitation:${i.id}`, i.email ?? i.role);
    }
  }
  return names;
}
