import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, jobs, products, supplyPostings, webhookEvents } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { encryptedPosterTokenStore } from "@/server/connections/token-store";
import { JobRunner, registerJobHandler, type JobKind } from "@/server/jobs";
import { loadDispatchCandidates } from "@/server/jobs/dispatcher";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { waitFor } from "../support/jobs";
import { newMarker, seedTenant, sessionOf, type SeededTenant } from "../support/tenant-fixture";

type Session = { id: string; sessionVersion: number; sessionId: string };
const as = (u: Session) => createCaller(createInnerContext({ session: { userId: u.id, sessionVersion: u.sessionVersion, sessionId: u.sessionId } }));
const REASON = "Poster was down this morning";

const auditOf = (restaurantId: string, action: string) =>
  withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.restaurantId, restaurantId), eq(auditLog.action, action))));

describe(`admin actions (${testDatabaseKind()})`, () => {
  let admin: Session;
  let tenant: SeededTenant;
  let owner: ReturnType<typeof createCaller>;
  // A job kind that failed for good once and works when replayed.
  const kind = "test.replayable" as JobKind;
  const ran: string[] = [];

  beforeAll(async () => {
    await openTestDatabase();
    admin = await createUser({ isPlatformAdmin: true });
    tenant = await seedTenant(newMarker("Actions"));
    owner = createCaller(createInnerContext({ session: await sessionOf(tenant.userIds[0]!) }));
    await withTenant(tenant.restaurantId, (tx) =>
      encryptedPosterTokenStore.save(tx, tenant.restaurantId, { accountNumber: "778001", accountLogin: "actions-test", token: "778001:0123456789abcdef0123456789abcdef" }),
    );
    registerJobHandler(kind, async (ctx) => {
      // The payload exactly as the dead job had it (handlers parse their payloads strictly).
      expect(ctx.payload).toEqual({ n: 1 });
      ran.push(ctx.jobId);
      return { ok: true };
    });
  }, 180_000);
  afterAll(closeDatabase);

  async function deadJob() {
    const [row] = await withPlatform("test", (tx) =>
      tx.insert(jobs).values({ restaurantId: tenant.restaurantId, kind, dedupKey: `dead-${Date.now()}-${Math.random()}`, status: "dead", attempts: 5, error: "Poster unavailable", payload: { n: 1 }, finishedAt: new Date() }).returning(),
    );
    return row!;
  }

  it("replays a dead job as a new job that runs and succeeds, audited with the admin and the reason", async () => {
    const dead = await deadJob();
    const replay = await as(admin).admin.replayJob({ jobId: dead.id, reason: REASON });
    expect(replay.jobId).not.toBe(dead.id);
    const runner = new JobRunner({ pollMs: 20 }).start();
    try {
      await waitFor(async () => (await as(admin).admin.job({ jobId: replay.jobId })).status === "succeeded", 10_000);
    } finally {
      await runner.stop();
    }
    expect(ran).toContain(replay.jobId);
    const [old] = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.id, dead.id)));
    expect(old?.status).toBe("dead");
    const [audit] = await auditOf(tenant.restaurantId, "admin.job_replayed");
    expect(audit).toMatchObject({ actorUserId: admin.id, targetType: "job", targetId: dead.id, data: { reason: REASON, replayJobId: replay.jobId } });
    // The restaurant's page shows the replay and who did it, by name.
    const detail = await as(admin).admin.restaurant({ restaurantId: tenant.restaurantId });
    expect(detail.audit.find((a) => a.action === "admin.job_replayed")).toMatchObject({ actor: "Test User", data: { reason: REASON } });
  });

  it("refuses to replay a job that did not fail, without a reason, or for a restaurant owner", async () => {
    const dead = await deadJob();
    await withPlatform("test", (tx) => tx.update(jobs).set({ status: "succeeded" }).where(eq(jobs.id, dead.id)));
    await expect(as(admin).admin.replayJob({ jobId: dead.id, reason: REASON })).rejects.toMatchObject({ code: "CONFLICT", reason: "not_replayable" });
    await expect(as(admin).admin.replayJob({ jobId: dead.id, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const again = await deadJob();
    await expect(owner.admin.replayJob({ jobId: again.id, reason: REASON })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(owner.admin.replayWebhook({ eventId: again.id, reason: REASON })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(owner.admin.retryPosting({ restaurantId: tenant.restaurantId, postingId: again.id, reason: REASON })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(owner.admin.setDisabled({ restaurantId: tenant.restaurantId, disabled: true, reason: REASON })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(owner.admin.overview()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("replays a verified webhook whose sync failed (its target again); never a rejected one", async () => {
    const dedupKey = `hook-${Date.now()}`;
    const [event] = await withPlatform("test", (tx) =>
      tx
        .insert(webhookEvents)
        .values({ restaurantId: tenant.restaurantId, object: "ingredient", objectId: "73", action: "changed", dedupKey, verified: true, outcome: "enqueued", payload: { object: "ingredient", object_id: "73", action: "changed", verify: "a1b2c3" } })
        .returning(),
    );
    await withPlatform("test", (tx) => tx.insert(jobs).values({ restaurantId: tenant.restaurantId, kind: "sync.targeted", dedupKey: `webhook:${dedupKey}`, status: "dead", attempts: 5, error: "Poster unavailable" }));
    const detail = await as(admin).admin.restaurant({ restaurantId: tenant.restaurantId });
    const shown = detail.webhooks.find((w) => w.id === event!.id)!;
    expect(shown).toMatchObject({ replayable: true, jobStatus: "dead" });
    // The payload viewer masks the signature.
    expect(JSON.stringify(shown.payload)).not.toContain("a1b2c3");

    const replay = await as(admin).admin.replayWebhook({ eventId: event!.id, reason: REASON });
    const [job] = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.id, replay.jobId)));
    expect(job).toMatchObject({ kind: "sync.targeted", restaurantId: tenant.restaurantId, status: "queued" });
    expect(job?.payload).toMatchObject({ target: { kind: "ingredient", posterId: 73 }, trigger: "webhook" });
    expect((await auditOf(tenant.restaurantId, "admin.webhook_replayed"))[0]).toMatchObject({ actorUserId: admin.id, data: { reason: REASON } });

    const [rejected] = await withPlatform("test", (tx) =>
      tx.insert(webhookEvents).values({ restaurantId: tenant.restaurantId, dedupKey: `rejected-${Date.now()}`, verified: false, outcome: "invalid_signature", error: "bad" }).returning(),
    );
    await expect(as(admin).admin.replayWebhook({ eventId: rejected!.id, reason: REASON })).rejects.toMatchObject({ code: "CONFLICT", reason: "not_replayable" });
    await withPlatform("test", (tx) => tx.delete(jobs).where(eq(jobs.id, replay.jobId)));
  });

  it("retries a failed supply posting: back in line for Poster, audited", async () => {
    const [posting] = await withTenant(tenant.restaurantId, (tx) => tx.update(supplyPostings).set({ status: "failed", lastError: "Poster said 500" }).returning());
    const result = await as(admin).admin.retryPosting({ restaurantId: tenant.restaurantId, postingId: posting!.id, reason: REASON });
    expect(result).toMatchObject({ id: posting!.id, status: "pending" });
    const queued = await withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.kind, "supply.post"), eq(jobs.restaurantId, tenant.restaurantId))));
    expect(queued.some((j) => j.status === "queued" && j.payload.postingId === posting!.id)).toBe(true);
    expect((await auditOf(tenant.restaurantId, "admin.supply_retried"))[0]).toMatchObject({ actorUserId: admin.id, targetId: posting!.id, data: { reason: REASON } });
    await withPlatform("test", (tx) => tx.delete(jobs).where(and(eq(jobs.kind, "supply.post"), eq(jobs.restaurantId, tenant.restaurantId))));
  });

  it("disables a restaurant (no syncs, no replays, its users told, data kept) and enables it again, audited", async () => {
    const productsBefore = (await withTenant(tenant.restaurantId, (tx) => tx.select().from(products))).length;
    await as(admin).admin.setDisabled({ restaurantId: tenant.restaurantId, disabled: true, reason: "Contract ended" });

    const banner = await owner.jobs.connection();
    expect(banner.pause).toMatchObject({ kind: "disabled", reason: "Contract ended", since: expect.any(Date) });
    await expect(owner.jobs.syncNow()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "restaurant_disabled" });
    await expect(as(admin).admin.forceSync({ restaurantId: tenant.restaurantId, reason: REASON })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "restaurant_disabled" });
    const dead = await deadJob();
    await expect(as(admin).admin.replayJob({ jobId: dead.id, reason: REASON })).rejects.toMatchObject({ reason: "restaurant_disabled" });
    expect((await loadDispatchCandidates()).find((c) => c.restaurantId === tenant.restaurantId)?.eligible).toBe(false);
    expect((await withTenant(tenant.restaurantId, (tx) => tx.select().from(products))).length).toBe(productsBefore);
    const listed = (await as(admin).admin.restaurants({ filter: "disabled", search: `${tenant.marker} Restaurant` })).items;
    expect(listed.map((r) => r.id)).toEqual([tenant.restaurantId]);

    await as(admin).admin.setDisabled({ restaurantId: tenant.restaurantId, disabled: false, reason: "Contract renewed" });
    expect((await owner.jobs.connection()).pause).toBeNull();
    expect((await loadDispatchCandidates()).find((c) => c.restaurantId === tenant.restaurantId)?.eligible).toBe(true);
    const audits = [...(await auditOf(tenant.restaurantId, "admin.disable")), ...(await auditOf(tenant.restaurantId, "admin.enable"))];
    expect(audits.map((a) => a.data?.reason).sort()).toEqual(["Contract ended", "Contract renewed"]);
    expect(audits.every((a) => a.actorUserId === admin.id)).toBe(true);
  });
});
