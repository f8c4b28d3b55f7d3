import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/webhooks/poster/route";
import { withPlatform, withTenant } from "@/db/scope";
import { auditLog, departments, jobs, products, purchaseOrderLines, purchaseOrders, suppliers, supplyPostings, syncRuns, webhookEvents } from "@/db/schema";
import { posterTokenStore } from "@/server/connections";
import { posterApplication, resetEnvForTests } from "@/server/env";
import { DomainError } from "@/server/errors";
import { loadDispatchCandidates } from "@/server/jobs/dispatcher";
import { posterVerify } from "@/server/poster";
import { getEmbeddedSimulator, resetEmbeddedSimulator } from "@/simulator";
import { postSupply, supplyMarker } from "@/server/purchasing";
import { runFullSync } from "@/server/sync";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

/** Opening the embedded database migrates and seeds it: slow on a busy machine. */
const OPEN_TIMEOUT_MS = 180_000;
type User = { id: string; sessionVersion: number; sessionId: string };

describe(`a paused restaurant (${testDatabaseKind()})`, () => {
  const saved = { ...process.env };
  let admin: User;
  let owner: User;
  let restaurantId: string;
  let login: string;
  let accountNumber: string;
  const as = (u: User) => createCaller(createInnerContext({ session: { userId: u.id, sessionVersion: u.sessionVersion, sessionId: u.sessionId }, requestedRestaurantId: restaurantId }));
  const supplies = () => getEmbeddedSimulator().account(login).data.supplies;

  beforeAll(async () => {
    // The embedded simulator is "Poster"; no webhooks out of it, no QStash, no job runner: jobs stay queued.
    Object.assign(process.env, { POSTER_SIM_WEBHOOK_URL: "off" });
    delete process.env.POSTER_API_URL;
    delete process.env.QSTASH_TOKEN;
    resetEnvForTests();
    resetEmbeddedSimulator();
    await openTestDatabase();
    login = `pause-${randomUUID().slice(0, 8)}`;
    accountNumber = String(600_000_000 + Math.floor(Math.random() * 99_999_999));
    const account = getEmbeddedSimulator().createAccount({ login, accountNumber, size: { storages: 2, ingredients: 10, suppliers: 2 } });
    const restaurant = await createRestaurant({ posterAccountNumber: accountNumber, posterAccountLogin: login });
    restaurantId = restaurant.id;
    await withTenant(restaurantId, (tx) => posterTokenStore.save(tx, restaurantId, { accountNumber, accountLogin: login, token: account.token }));
    await runFullSync({ restaurantId, trigger: "onboarding" });
    admin = await createUser({ isPlatformAdmin: true });
    owner = await createUser();
    await addMembership({ restaurantId, userId: owner.id, role: "owner", canSend: true, canReceive: true });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    resetEmbeddedSimulator();
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  /** A sent order of one synced ingredient from a synced supplier into a synced storage. */
  async function sentOrder() {
    return withTenant(restaurantId, async (tx) => {
      const [department] = await tx.select().from(departments).where(eq(departments.isArchived, false)).limit(1);
      const [supplier] = await tx.select().from(suppliers).limit(1);
      const [product] = await tx.select().from(products).where(eq(products.isArchived, false)).limit(1);
      const number = Math.floor(Math.random() * 1_000_000);
      const [order] = await tx.insert(purchaseOrders).values({ restaurantId, number, supplierId: supplier!.id, deliveryDate: "2026-12-01", status: "sent" }).returning();
      const [line] = await tx.insert(purchaseOrderLines).values({ restaurantId, orderId: order!.id, productId: product!.id, departmentId: department!.id, quantity: "2" }).returning();
      return { order: order!, line: line! };
    });
  }
  const supplyJobs = () => withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.restaurantId, restaurantId), eq(jobs.kind, "supply.post"))));

  it("asks for the reason, audits it, and shows the owner the pause and the reason", async () => {
    await expect(as(admin).admin.setPaused({ restaurantId, paused: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).admin.setPaused({ restaurantId, paused: true, reason: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(owner).admin.setPaused({ restaurantId, paused: true, reason: "mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const paused = await as(admin).admin.setPaused({ restaurantId, paused: true, reason: "Unpaid invoice for November" });
    expect(paused).toMatchObject({ status: "paused", pausedReason: "Unpaid invoice for November" });

    const banner = await as(owner).jobs.connection();
    expect(banner.pause).toMatchObject({ reason: "Unpaid invoice for November", since: expect.any(Date) });
    const settings = await as(owner).poster.status();
    expect(settings.pause?.reason).toBe("Unpaid invoice for November");
    // The connection itself is fine: the pause is what stops it, and the admin's list says why.
    expect(settings.connection?.status).toBe("active");
    expect((await as(admin).admin.restaurants({ filter: "paused" })).items.find((r) => r.id === restaurantId)).toMatchObject({ status: "paused", pausedReason: "Unpaid invoice for November" });
    const [audit] = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.restaurantId, restaurantId), eq(auditLog.action, "admin.pause"))));
    expect(audit).toMatchObject({ actorUserId: admin.id, data: { reason: "Unpaid invoice for November" } });
  });

  it("runs no sync of any kind: manual, admin-forced, already queued, scheduled or from a webhook", async () => {
    const runsBefore = (await withTenant(restaurantId, (tx) => tx.select().from(syncRuns))).length;
    await expect(as(owner).jobs.syncNow()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "restaurant_paused" });
    await expect(as(admin).admin.forceSync({ restaurantId, reason: "Owner asked for fresh stock" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "restaurant_paused" });
    // A sync job queued before the pause refuses when it runs, for good (not retried).
    const refused = await runFullSync({ restaurantId, trigger: "schedule" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ reason: "restaurant_paused", retryable: false });
    expect((await withTenant(restaurantId, (tx) => tx.select().from(syncRuns))).length).toBe(runsBefore);
    expect((await loadDispatchCandidates()).find((c) => c.restaurantId === restaurantId)?.eligible).toBe(false);

    const hook = { account: login, account_number: accountNumber, object: "ingredient", object_id: "1", action: "changed", time: String(Math.floor(Date.now() / 1000)), data: "" };
    const res = await webhookRoute(
      new Request("http://localhost/api/webhooks/poster", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...hook, verify: posterVerify(hook, posterApplication().secret) }),
      }),
    );
    expect(res.status).toBe(200);
    const [event] = await withPlatform("test", (tx) => tx.select().from(webhookEvents).where(eq(webhookEvents.restaurantId, restaurantId)));
    expect(event?.outcome).toBe("paused");
    const syncJobs = await withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.restaurantId, restaurantId), eq(jobs.kind, "sync.targeted"))));
    expect(syncJobs).toHaveLength(0);
  });

  it("writes nothing to Poster: a receipt's supply waits (pending) and is posted once after resuming", async () => {
    const { order, line } = await sentOrder();
    const before = supplies().length;
    const receipt = await as(owner).orders.receive({ orderId: order.id, version: order.version, idempotencyKey: randomUUID(), lines: [{ lineId: line.id, quantity: "2", priceMinor: 10000 }] });
    expect(receipt.postings).toHaveLength(1);
    const postingId = receipt.postings[0]!.id;
    // Not queued while paused…
    expect(await supplyJobs()).toHaveLength(0);
    // … and a job that was queued before the pause does not post either: the posting stays untouched.
    const refused = await postSupply({ restaurantId, postingId }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: "restaurant_paused", retryable: false });
    const [waiting] = await withTenant(restaurantId, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, postingId)));
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, lastError: null });
    expect(supplies()).toHaveLength(before);

    const resumed = await as(admin).admin.setPaused({ restaurantId, paused: false });
    expect(resumed).toMatchObject({ status: "active", pausedReason: null, postingsQueued: 1 });
    expect((await as(owner).jobs.connection()).pause).toBeNull();
    const queued = await supplyJobs();
    expect(queued.map((j) => [j.status, j.payload])).toEqual([["queued", { postingId, _requestId: expect.any(String) }]]);

    const posted = await postSupply({ restaurantId, postingId });
    expect(supplies()).toHaveLength(before + 1);
    expect(supplies().find((s) => s.id === posted.posterSupplyId)?.comment).toContain(supplyMarker(receipt.postings[0]!.idempotencyKey));
    await expect(as(owner).jobs.syncNow()).resolves.toMatchObject({ jobId: expect.any(String) });
  });
});
