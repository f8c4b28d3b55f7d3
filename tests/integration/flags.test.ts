import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/webhooks/poster/route";
import { withPlatform, withTenant } from "@/db/scope";
import { auditLog, departments, featureFlags, jobs, products, purchaseOrderLines, purchaseOrders, suppliers, supplyPostings, webhookEvents } from "@/db/schema";
import { posterTokenStore } from "@/server/connections";
import { posterApplication, resetEnvForTests } from "@/server/env";
import { FLAG_KEYS, bucketOf, isFlagOn } from "@/server/flags";
import { loadDispatchCandidates } from "@/server/jobs/dispatcher";
import { posterVerify } from "@/server/poster";
import { getEmbeddedSimulator, resetEmbeddedSimulator } from "@/simulator";
import { postSupply } from "@/server/purchasing";
import { runFullSync } from "@/server/sync";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

type User = { id: string; sessionVersion: number; sessionId: string };

/** Feature flags: the rules, the admin console's procedures, and what each flag really switches. */
describe(`feature flags (${testDatabaseKind()})`, () => {
  const saved = { ...process.env };
  let admin: User;
  let owner: User;
  let restaurantId: string;
  let login: string;
  let accountNumber: string;
  const as = (u: User, rid = restaurantId) => createCaller(createInnerContext({ session: { userId: u.id, sessionVersion: u.sessionVersion, sessionId: u.sessionId }, requestedRestaurantId: rid }));
  const supplies = () => getEmbeddedSimulator().account(login).data.supplies;
  const resetAll = () => withPlatform("test", (tx) => tx.delete(featureFlags));

  beforeAll(async () => {
    Object.assign(process.env, { POSTER_SIM_WEBHOOK_URL: "off" });
    delete process.env.POSTER_API_URL;
    delete process.env.QSTASH_TOKEN;
    delete process.env.FLAGS;
    resetEnvForTests();
    resetEmbeddedSimulator();
    await openTestDatabase();
    login = `flags-${randomUUID().slice(0, 8)}`;
    accountNumber = String(700_000_000 + Math.floor(Math.random() * 99_999_999));
    const account = getEmbeddedSimulator().createAccount({ login, accountNumber, size: { storages: 2, ingredients: 10, suppliers: 2 } });
    restaurantId = (await createRestaurant({ posterAccountNumber: accountNumber, posterAccountLogin: login })).id;
    await withTenant(restaurantId, (tx) => posterTokenStore.save(tx, restaurantId, { accountNumber, accountLogin: login, token: account.token }));
    await runFullSync({ restaurantId, trigger: "onboarding" });
    admin = await createUser({ isPlatformAdmin: true });
    owner = await createUser();
    await addMembership({ restaurantId, userId: owner.id, role: "owner", canSend: true, canReceive: true });
    // A database reused between runs may hold rules from an earlier run: start from the defaults.
    for (const key of FLAG_KEYS) await as(admin).admin.setFlag({ key, rule: null });
  }, 180_000);
  afterAll(async () => {
    // Flags are global: leave the shared database at the defaults for the next files.
    for (const key of FLAG_KEYS) await as(admin).admin.setFlag({ key, rule: null }).catch(() => resetAll());
    resetEmbeddedSimulator();
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  const flagOn = (key: (typeof FLAG_KEYS)[number], rid: string | null = restaurantId) => withPlatform("test", (tx) => isFlagOn(tx, key, rid));

  it("decides each flag from the environment, then the console, then its default; audited, env-set flags are fixed", async () => {
    const list = await as(admin).admin.flags();
    expect(list.map((f) => [f.key, f.source])).toEqual(FLAG_KEYS.map((k) => [k, "default"]));
    expect(list.find((f) => f.key === "export.owner")?.rule).toEqual({ mode: "restaurants", restaurantIds: [] });
    expect(await flagOn("poster.writes")).toBe(true);
    expect(await flagOn("export.owner")).toBe(false);

    // The console's rule is read through the cache and cleared when it changes: visible at once.
    await as(admin).admin.setFlag({ key: "export.owner", rule: { mode: "restaurants", restaurantIds: [restaurantId] } });
    expect(await flagOn("export.owner")).toBe(true);
    expect(await flagOn("export.owner", randomUUID())).toBe(false);
    const [audit] = await withPlatform("test", (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.action, "admin.flag_set"), eq(auditLog.targetId, "export.owner"), eq(auditLog.actorUserId, admin.id))).orderBy(desc(auditLog.createdAt)).limit(1),
    );
    expect(audit).toMatchObject({ targetType: "flag", data: { before: { mode: "restaurants", restaurantIds: [] }, after: { mode: "restaurants", restaurantIds: [restaurantId] } } });
    expect((await as(admin).admin.flags()).find((f) => f.key === "export.owner")).toMatchObject({ source: "admin", updatedBy: admin.id });

    // The environment wins and cannot be changed from the console.
    process.env.FLAGS = "export.owner=off";
    resetEnvForTests();
    try {
      expect(await flagOn("export.owner")).toBe(false);
      expect((await as(admin).admin.flags()).find((f) => f.key === "export.owner")?.source).toBe("environment");
      await expect(as(admin).admin.setFlag({ key: "export.owner", rule: { mode: "on" } })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      delete process.env.FLAGS;
      resetEnvForTests();
    }
    expect(await flagOn("export.owner")).toBe(true);

    // Only platform admins, and only valid rules.
    await expect(as(owner).admin.flags()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(owner).admin.setFlag({ key: "poster.writes", rule: { mode: "off" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(admin).admin.setFlag({ key: "poster.writes", rule: { mode: "percent", percent: 101 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).admin.setFlag({ key: "nope" as "poster.writes", rule: { mode: "on" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a percentage lets in a stable share of restaurants, the same ones as it grows", async () => {
    const ids = Array.from({ length: 400 }, () => randomUUID());
    await as(admin).admin.setFlag({ key: "sync.scheduled", rule: { mode: "percent", percent: 25 } });
    const at25 = new Set<string>();
    for (const id of ids) if (await flagOn("sync.scheduled", id)) at25.add(id);
    expect(at25.size).toBeGreaterThan(60);
    expect(at25.size).toBeLessThan(140);
    for (const id of ids) expect(at25.has(id)).toBe(bucketOf("sync.scheduled", id) < 25);
    await as(admin).admin.setFlag({ key: "sync.scheduled", rule: { mode: "percent", percent: 50 } });
    for (const id of at25) expect(await flagOn("sync.scheduled", id)).toBe(true);
    await as(admin).admin.setFlag({ key: "sync.scheduled", rule: null });
  });

  it("the scheduled sync is behind sync.scheduled", async () => {
    const candidate = async () => (await loadDispatchCandidates()).find((c) => c.restaurantId === restaurantId);
    expect((await candidate())?.eligible).toBe(true);
    await as(admin).admin.setFlag({ key: "sync.scheduled", rule: { mode: "restaurants", restaurantIds: [randomUUID()] } });
    expect((await candidate())?.eligible).toBe(false);
    await as(admin).admin.setFlag({ key: "sync.scheduled", rule: null });
    expect((await candidate())?.eligible).toBe(true);
  });

  it("Poster writes off: receiving works, the supply waits, the UI says so; back on, it is queued and posted once", async () => {
    const { order, line } = await withTenant(restaurantId, async (tx) => {
      const [department] = await tx.select().from(departments).where(eq(departments.isArchived, false)).limit(1);
      const [supplier] = await tx.select().from(suppliers).limit(1);
      const [product] = await tx.select().from(products).where(eq(products.isArchived, false)).limit(1);
      const [o] = await tx.insert(purchaseOrders).values({ restaurantId, number: Math.floor(Math.random() * 1_000_000), supplierId: supplier!.id, deliveryDate: "2026-12-01", status: "sent" }).returning();
      const [l] = await tx.insert(purchaseOrderLines).values({ restaurantId, orderId: o!.id, productId: product!.id, departmentId: department!.id, quantity: "2" }).returning();
      return { order: o!, line: l! };
    });
    const supplyJobs = () => withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.restaurantId, restaurantId), eq(jobs.kind, "supply.post"))));
    await as(admin).admin.setFlag({ key: "poster.writes", rule: { mode: "off" } });
    expect((await as(owner).jobs.connection()).flags).toMatchObject({ "poster.writes": false, "poster.webhooks": true });

    const before = supplies().length;
    const receipt = await as(owner).orders.receive({ orderId: order.id, version: order.version, idempotencyKey: randomUUID(), lines: [{ lineId: line.id, quantity: "2", priceMinor: 10000 }] });
    const postingId = receipt.postings[0]!.id;
    expect(await supplyJobs()).toHaveLength(0);
    // A job queued before the switch does not post either, and leaves the posting untouched.
    const refused = await postSupply({ restaurantId, postingId }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: "switched_off", retryable: false, details: { flag: "poster.writes" } });
    const [waiting] = await withTenant(restaurantId, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, postingId)));
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    expect(supplies()).toHaveLength(before);

    const back = await as(admin).admin.setFlag({ key: "poster.writes", rule: null });
    expect(back.postingsQueued).toBeGreaterThanOrEqual(1);
    expect((await supplyJobs()).map((j) => [j.status, j.payload])).toEqual([["queued", { postingId, _requestId: expect.any(String) }]]);
    await postSupply({ restaurantId, postingId });
    expect(supplies()).toHaveLength(before + 1);
    expect((await as(owner).jobs.connection()).flags["poster.writes"]).toBe(true);
  });

  it("webhooks off: Poster is answered 200, the hook is logged as switched off and starts no sync", async () => {
    await as(admin).admin.setFlag({ key: "poster.webhooks", rule: { mode: "off" } });
    expect((await as(owner).jobs.connection()).flags["poster.webhooks"]).toBe(false);
    const hook = { account: login, account_number: accountNumber, object: "ingredient", object_id: "1", action: "changed", time: String(Math.floor(Date.now() / 1000)), data: "" };
    const res = await webhookRoute(
      new Request("http://localhost/api/webhooks/poster", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...hook, verify: posterVerify(hook, posterApplication().secret) }),
      }),
    );
    expect(res.status).toBe(200);
    const events = await withPlatform("test", (tx) => tx.select().from(webhookEvents).where(eq(webhookEvents.restaurantId, restaurantId)));
    expect(events.map((e) => e.outcome)).toEqual(["switched_off"]);
    const syncJobs = await withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.restaurantId, restaurantId), eq(jobs.kind, "sync.targeted"))));
    expect(syncJobs).toHaveLength(0);
    // The scheduled sync still runs for it.
    expect((await loadDispatchCandidates()).find((c) => c.restaurantId === restaurantId)?.eligible).toBe(true);
    await as(admin).admin.setFlag({ key: "poster.webhooks", rule: null });
  });

  it("the owner's export is rolled out to the listed restaurants only", async () => {
    await as(admin).admin.setFlag({ key: "export.owner", rule: { mode: "restaurants", restaurantIds: [randomUUID()] } });
    expect((await as(owner).jobs.connection()).flags["export.owner"]).toBe(false);
    await expect(as(owner).exports.start()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "switched_off" });
    await as(admin).admin.setFlag({ key: "export.owner", rule: { mode: "restaurants", restaurantIds: [randomUUID(), restaurantId] } });
    expect((await as(owner).jobs.connection()).flags["export.owner"]).toBe(true);
    await expect(as(owner).exports.start()).resolves.toMatchObject({ jobId: expect.any(String) });
  });
});
