import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { auditLog, jobs, restaurants, syncRuns } from "@/db/schema";
import { encryptedPosterTokenStore } from "@/server/connections/token-store";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

describe(`platform admin area (${testDatabaseKind()})`, () => {
  let admin: { id: string; sessionVersion: number; sessionId: string };
  let owner: { id: string; sessionVersion: number; sessionId: string };
  let connected: { id: string; name: string };
  let unconnected: { id: string; name: string };

  beforeAll(async () => {
    await openTestDatabase();
    admin = await createUser({ isPlatformAdmin: true });
    owner = await createUser();
    connected = await createRestaurant();
    unconnected = await createRestaurant();
    await addMembership({ restaurantId: connected.id, userId: owner.id, role: "owner" });
    await withTenant(connected.id, async (tx) => {
      await encryptedPosterTokenStore.save(tx, connected.id, { accountNumber: "777001", accountLogin: "admin-test", token: "777001:0123456789abcdef0123456789abcdef" });
      await tx.insert(syncRuns).values({ restaurantId: connected.id, trigger: "schedule", status: "failed", error: "Poster unavailable" });
    });
  });
  afterAll(closeDatabase);

  const as = (u: { id: string; sessionVersion: number; sessionId: string }) => createCaller(createInnerContext({ session: { userId: u.id, sessionVersion: u.sessionVersion, sessionId: u.sessionId } }));

  it("lists every restaurant with its last sync, connection state and errors of the last 24 hours", async () => {
    // Other suites' restaurants share the database: search narrows the list to ours.
    const list = [...(await as(admin).admin.restaurants({ search: connected.name })).items, ...(await as(admin).admin.restaurants({ search: unconnected.name })).items];
    const row = list.find((r) => r.id === connected.id);
    expect(row).toMatchObject({ connectionStatus: "active", errors24h: 1, activeUsers: 1, stale: true, lastSync: { status: "failed", error: "Poster unavailable" } });
    expect(list.find((r) => r.id === unconnected.id)).toMatchObject({ connectionStatus: null, lastSync: null, errors24h: 0, nextSyncAt: null });
    expect(JSON.stringify(list)).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("is closed to restaurant owners", async () => {
    await expect(as(owner).admin.restaurants({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(owner).admin.forceSync({ restaurantId: connected.id, reason: "mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("force sync queues one job, joins it on a second click, and audits both with the reason", async () => {
    const first = await as(admin).admin.forceSync({ restaurantId: connected.id, reason: "Stock looks old" });
    const second = await as(admin).admin.forceSync({ restaurantId: connected.id, reason: "Stock looks old" });
    expect(second.jobId).toBe(first.jobId);
    const queued = await withPlatform("test", (tx) => tx.select().from(jobs).where(and(eq(jobs.restaurantId, connected.id), eq(jobs.kind, "sync.full"))));
    expect(queued).toHaveLength(1);
    const audits = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.restaurantId, connected.id), eq(auditLog.action, "admin.force_sync"))));
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.actorUserId === admin.id && a.data?.reason === "Stock looks old")).toBe(true);
    await expect(as(admin).admin.forceSync({ restaurantId: connected.id, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses to force a sync of a restaurant without a usable connection", async () => {
    await expect(as(admin).admin.forceSync({ restaurantId: unconnected.id, reason: "Check it" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("pauses and resumes a restaurant, audited", async () => {
    await as(admin).admin.setPaused({ restaurantId: unconnected.id, paused: true, reason: "Closed for renovation" });
    const [paused] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.id, unconnected.id)));
    expect(paused).toMatchObject({ status: "paused", pausedReason: "Closed for renovation" });
    await as(admin).admin.setPaused({ restaurantId: unconnected.id, paused: false });
    const actions = await withPlatform("test", (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.restaurantId, unconnected.id)));
    expect(actions.map((a) => a.action).sort()).toEqual(["admin.pause", "admin.resume"]);
  });

  it("shows one restaurant's logs and answers NOT_FOUND for an unknown one", async () => {
    const logs = await as(admin).admin.restaurant({ restaurantId: connected.id });
    expect(logs.syncRuns[0]?.error).toBe("Poster unavailable");
    // A run with rows Poster sent unreadable and a settings refresh: the logs carry both.
    const reasons = ['menu.getIngredients row 2 (id 2): limit_value: not a decimal: "n/a"'];
    await withTenant(connected.id, (tx) =>
      tx.insert(syncRuns).values({
        restaurantId: connected.id, trigger: "schedule", status: "succeeded", startedAt: new Date(Date.now() + 1000),
        counts: { products: { added: 0, changed: 0, archived: 0, skipped: 1 } }, skippedReasons: reasons,
        settingsChanges: { currency: { from: "RUB", to: "KZT" } },
      }),
    );
    const latest = (await as(admin).admin.restaurant({ restaurantId: connected.id })).syncRuns[0];
    expect(latest).toMatchObject({ status: "succeeded", skippedReasons: reasons, settingsChanges: { currency: { from: "RUB", to: "KZT" } } });
    await expect(as(admin).admin.restaurant({ restaurantId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
