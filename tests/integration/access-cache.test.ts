import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import IORedis from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { observeQueries } from "@/db/client";
import { withPlatform, withTenant } from "@/db/scope";
import { departments, membershipDepartments } from "@/db/schema";
import { bumpSessionVersion } from "@/server/accounts/session-version";
import { RedisCache } from "@/server/cache";
import { applyAccountSettings } from "@/server/sync/settings";
import { accessKeys, setAccessCacheEnabledForTests, setAccessCacheForTests } from "@/server/tenancy/access-cache";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { startUpstashBridge, type UpstashBridge } from "../support/upstash-bridge";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { sessionOf } from "../support/tenant-fixture";
import type { PosterSettings } from "@/server/poster";

/**
 * The access cache (ACCESS_CACHE=on) against the machine's real Redis through the Upstash bridge: two RedisCache
 * clients stand for two app instances sharing one Redis. Every kind of write that changes cached access is made
 * through the app and read back at once, on the other instance too; with Redis gone every call still answers.
 */
describe(`access cache through Redis (${testDatabaseKind()})`, () => {
  let bridge: UpstashBridge;
  const prefix = `test-access:${randomUUID()}:`;
  let instanceA: RedisCache;
  let instanceB: RedisCache;

  const on = (instance: RedisCache) => setAccessCacheForTests(instance);
  const callerFor = (userId: string, sessionVersion: number, restaurantId: string, sessionId: string) =>
    createCaller(createInnerContext({ session: { userId, sessionVersion, sessionId }, requestedRestaurantId: restaurantId }));

  /** The statements one call sends (begin/commit aside). */
  async function statementsOf(call: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    observeQueries((query) => seen.push(query));
    try {
      await call();
    } finally {
      observeQueries(null);
    }
    return seen;
  }
  const entered = (statements: string[]) => statements.some((s) => s.includes("app_enter_tenant"));

  async function team() {
    const restaurant = await createRestaurant();
    const owner = await createUser();
    const staff = await createUser();
    await addMembership({ restaurantId: restaurant.id, userId: owner.id, role: "owner" });
    const staffMembership = await addMembership({ restaurantId: restaurant.id, userId: staff.id, role: "staff", canSend: false, canReceive: true });
    const [kitchen] = await withPlatform("test", (tx) => tx.insert(departments).values({ restaurantId: restaurant.id, name: "Kitchen", sortOrder: 1 }).returning());
    await withPlatform("test", (tx) => tx.insert(membershipDepartments).values({ restaurantId: restaurant.id, membershipId: staffMembership.id, departmentId: kitchen!.id }));
    return {
      restaurant,
      kitchen: kitchen!.id,
      owner: callerFor(owner.id, owner.sessionVersion, restaurant.id, owner.sessionId),
      staffUser: staff,
      staffMembership,
      staff: (version = staff.sessionVersion, sessionId = staff.sessionId) => callerFor(staff.id, version, restaurant.id, sessionId),
    };
  }

  beforeAll(async () => {
    await openTestDatabase();
    bridge = await startUpstashBridge();
    const client = () => new Redis({ url: bridge.url, token: bridge.token, retry: false });
    instanceA = new RedisCache(client(), { prefix, timeoutMs: 1_000 });
    instanceB = new RedisCache(client(), { prefix, timeoutMs: 1_000 });
    setAccessCacheEnabledForTests(true);
  });
  afterEach(() => observeQueries(null));
  afterAll(async () => {
    setAccessCacheEnabledForTests(null);
    setAccessCacheForTests(null);
    // The last test stopped the bridge: clean up through a connection of our own.
    const redis = new IORedis("redis://127.0.0.1:6379");
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await closeDatabase();
  });

  it("misses, fills, then serves the access from Redis (no access read in Postgres); entries expire", async () => {
    on(instanceA);
    const t = await team();
    const first = await statementsOf(() => t.staff().restaurant.current());
    expect(entered(first)).toBe(true);
    // The fill is not awaited by the call; wait for it to land.
    await expect.poll(() => bridge.redis.exists(`${prefix}${accessKeys.membership(t.restaurant.id, t.staffUser.id)}`)).toBe(1);
    const ttl = await bridge.redis.ttl(`${prefix}${accessKeys.user(t.staffUser.id)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);

    const second = await statementsOf(() => t.staff().restaurant.current());
    expect(entered(second)).toBe(false);
    expect((await t.staff().restaurant.current()).role).toBe("staff");

    await instanceA.fill("expiring", { v: 1 }, 1);
    expect(await instanceA.get("expiring")).toEqual({ v: 1 });
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await instanceA.get("expiring")).toBeUndefined();
  });

  it("no stale read after a role or capability change, on this instance and the other", async () => {
    const t = await team();
    on(instanceB);
    await t.staff().restaurant.current();
    await expect.poll(() => bridge.redis.exists(`${prefix}${accessKeys.membership(t.restaurant.id, t.staffUser.id)}`)).toBe(1);
    expect((await t.staff().restaurant.current()).permissions).not.toContain("orders.send");

    on(instanceA);
    await t.owner.team.updateMember({ membershipId: t.staffMembership.id, role: "staff", canSend: true, canReceive: true, departmentIds: [t.kitchen] });
    on(instanceB);
    expect((await t.staff().restaurant.current()).permissions).toContain("orders.send");
    await t.owner.team.updateMember({ membershipId: t.staffMembership.id, role: "manager", canSend: true, canReceive: true, departmentIds: [] });
    expect((await t.staff().restaurant.current()).role).toBe("manager");
  });

  it("no stale read after a deactivation (the membership and the session end at once, on the other instance)", async () => {
    const t = await team();
    on(instanceB);
    await t.staff().restaurant.current();
    await expect.poll(() => bridge.redis.exists(`${prefix}${accessKeys.membership(t.restaurant.id, t.staffUser.id)}`)).toBe(1);
    on(instanceA);
    await t.owner.team.setMemberActive({ membershipId: t.staffMembership.id, active: false });
    on(instanceB);
    await expect(t.staff().restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(t.staff(t.staffUser.sessionVersion + 1).restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN", reason: "membership_removed" });
  });

  it("no stale read after a session-version bump (password change, sign out everywhere), for tenant and account calls", async () => {
    const t = await team();
    on(instanceB);
    await t.staff().restaurant.current();
    await t.staff().account.me();
    await expect.poll(() => bridge.redis.exists(`${prefix}${accessKeys.user(t.staffUser.id)}`)).toBe(1);
    on(instanceA);
    const next = await withPlatform("test", (tx) => bumpSessionVersion(tx, t.staffUser.id));
    on(instanceB);
    await expect(t.staff().restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(t.staff().account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The bump also ended the recorded session: signing in again (a new session, the new version) works.
    const again = await sessionOf(t.staffUser.id);
    expect(again.sessionVersion).toBe(next);
    expect((await t.staff(next, again.sessionId!).restaurant.current()).role).toBe("staff");
  });

  it("no stale read after a sync changes the restaurant's settings", async () => {
    const t = await team();
    on(instanceB);
    expect((await t.staff().restaurant.current()).restaurant.timezone).toBe("Europe/Moscow");
    await expect.poll(() => bridge.redis.exists(`${prefix}${accessKeys.restaurant(t.restaurant.id)}`)).toBe(1);
    on(instanceA);
    const settings = { companyName: "Renamed by Poster", login: "acc", timezone: "Asia/Yekaterinburg", currency: { iso: "RUB" }, lang: "ru" } as unknown as PosterSettings;
    await withTenant(t.restaurant.id, (tx) => applyAccountSettings(tx, t.restaurant.id, settings));
    on(instanceB);
    const after = await t.staff().restaurant.current();
    expect(after.restaurant.timezone).toBe("Asia/Yekaterinburg");
  });

  it("a load that read Postgres before an invalidation cannot put the old value back", async () => {
    await instanceA.invalidate("race");
    await instanceB.fill("race", { stale: true }, 60);
    expect(await instanceB.get("race")).toBeUndefined();
  });

  it("with the bridge stopped mid-run every call still succeeds, from Postgres", async () => {
    on(instanceA);
    const t = await team();
    await t.staff().restaurant.current();
    await bridge.close();
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await t.staff().restaurant.current()).role).toBe("staff");
    await expect(t.staff().account.me()).resolves.toBeTruthy();
    // A write while Redis is away still takes effect at once (Postgres is read while the breaker is open).
    await t.owner.team.setMemberActive({ membershipId: t.staffMembership.id, active: false });
    await expect(t.staff(t.staffUser.sessionVersion + 1).restaurant.current()).rejects.toMatchObject({ reason: "membership_removed" });
    // One timeout at most, then the breaker skips Redis.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
