import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog, memberships, users } from "@/db/schema";
import { bumpSessionVersion } from "@/server/accounts/session-version";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { resetCacheForTests } from "@/server/cache";
import { resetMemoryRateLimitsForTests } from "@/server/ratelimit";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { sessionOf } from "../support/tenant-fixture";

const PASSWORD = "correct horse battery staple 7";

async function member() {
  const restaurant = await createRestaurant();
  const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
  const membership = await addMembership({ restaurantId: restaurant.id, userId: user.id, role: "manager" });
  const caller = (sessionVersion = user.sessionVersion, sessionId: string | null = user.sessionId) =>
    createCaller(createInnerContext({ session: { userId: user.id, sessionVersion, sessionId }, requestedRestaurantId: restaurant.id }));
  return { restaurant, user, membership, caller };
}

async function versionOf(userId: string) {
  const [u] = await withPlatform("test", (tx) => tx.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId)));
  return u!.v;
}

describe(`revocation through tRPC (${testDatabaseKind()})`, () => {
  beforeAll(openTestDatabase);
  afterAll(closeDatabase);
  beforeEach(() => {
    resetMemoryRateLimitsForTests();
    resetCacheForTests();
  });

  it("a deactivated user is UNAUTHORIZED on the next call", async () => {
    const { user, caller } = await member();
    expect((await caller().restaurant.current()).role).toBe("manager");
    await withPlatform("test", (tx) => tx.update(users).set({ isActive: false }).where(eq(users.id, user.id)));
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller().account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("says why, in a reason the UI translates: signed out, session ended, access removed (and where), no restaurant, not allowed", async () => {
    const anonymous = createCaller(createInnerContext({ requestedRestaurantId: null }));
    await expect(anonymous.restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "signed_out" });
    await expect(anonymous.restaurant.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "signed_out" });

    const { restaurant, user, membership, caller } = await member();
    await expect(caller(user.sessionVersion + 5).restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
    await expect(caller().team.members()).resolves.toBeDefined();
    const staffer = await createUser();
    await addMembership({ restaurantId: restaurant.id, userId: staffer.id, role: "staff" });
    const asStaff = createCaller(createInnerContext({ session: { userId: staffer.id, sessionVersion: staffer.sessionVersion, sessionId: staffer.sessionId }, requestedRestaurantId: restaurant.id }));
    await expect(asStaff.team.members()).rejects.toMatchObject({ code: "FORBIDDEN", reason: "not_allowed" });

    // Deactivated: with the restaurant picked (cookie) and without (their default), the answer names it.
    await withPlatform("test", (tx) => tx.update(memberships).set({ isActive: false }).where(eq(memberships.id, membership.id)));
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN", reason: "membership_removed", details: { restaurantName: restaurant.name } });
    const noPick = createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId } }));
    await expect(noPick.restaurant.current()).rejects.toMatchObject({ reason: "membership_removed", details: { restaurantName: restaurant.name } });
    // Still signed in: their other restaurants (none here) are listed, so the UI can offer them.
    await expect(noPick.restaurant.mine()).resolves.toEqual([]);

    const newcomer = await createUser();
    const none = createCaller(createInnerContext({ session: { userId: newcomer.id, sessionVersion: newcomer.sessionVersion, sessionId: newcomer.sessionId } }));
    await expect(none.restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN", reason: "no_restaurant" });
  });

  it("bumpSessionVersion (role change, capability change) ends older sessions; the new version works", async () => {
    const { user, caller } = await member();
    const next = await withPlatform("test", (tx) => bumpSessionVersion(tx, user.id));
    expect(next).toBe(user.sessionVersion + 1);
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The old device's session is ended too; signing in again (a new session with the new version) works.
    await expect(caller(next).restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const again = await sessionOf(user.id);
    expect((await caller(again.sessionVersion, again.sessionId).restaurant.current()).role).toBe("manager");
  });

  it("a removed membership is FORBIDDEN in that restaurant on the next call", async () => {
    const { membership, caller } = await member();
    await withPlatform("test", (tx) => tx.update(memberships).set({ isActive: false }).where(eq(memberships.id, membership.id)));
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await withPlatform("test", (tx) => tx.delete(memberships).where(eq(memberships.id, membership.id)));
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("sign out everywhere ends every session and is audited", async () => {
    const { user, caller } = await member();
    expect(await caller().account.signOutEverywhere()).toEqual({ ok: true });
    expect(await versionOf(user.id)).toBe(user.sessionVersion + 1);
    await expect(caller().account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller().restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(eq(auditLog.actorUserId, user.id)));
    expect(audit.map((a) => a.action)).toContain("auth.signed_out_everywhere");
  });

  it("changing the password needs the current one, checks the policy, and ends the old sessions", async () => {
    const { user, caller } = await member();
    expect(await caller().account.changePassword({ currentPassword: "not it", newPassword: "violet tractor sings quietly" })).toEqual({
      ok: false,
      reason: "wrongCurrent",
    });
    expect(await caller().account.changePassword({ currentPassword: PASSWORD, newPassword: "password1" })).toMatchObject({ ok: false, reason: "weakPassword" });
    expect(await versionOf(user.id)).toBe(user.sessionVersion);
    expect(await caller().account.changePassword({ currentPassword: PASSWORD, newPassword: "violet tractor sings quietly" })).toEqual({ ok: true });
    await expect(caller().account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const [after] = await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.id, user.id)));
    expect(await verifyPassword(after!.passwordHash!, "violet tractor sings quietly")).toBe(true);
  });

  it("limits wrong current passwords per user", async () => {
    const { caller } = await member();
    for (let i = 0; i < 5; i++) expect((await caller().account.changePassword({ currentPassword: `guess ${i}`, newPassword: "violet tractor sings quietly" })).ok).toBe(false);
    expect(await caller().account.changePassword({ currentPassword: PASSWORD, newPassword: "violet tractor sings quietly" })).toMatchObject({
      ok: false,
      reason: "rateLimited",
    });
  });

  it("stores the language choice; null follows the restaurant; unknown languages are refused", async () => {
    const { caller } = await member();
    expect(await caller().account.setLocale({ locale: "en" })).toEqual({ locale: "en" });
    expect((await caller().account.me()).locale).toBe("en");
    await caller().account.setLocale({ locale: null });
    expect((await caller().account.me()).locale).toBeNull();
    await expect(caller().account.setLocale({ locale: "de" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers UNAUTHORIZED without a session", async () => {
    await expect(createCaller(createInnerContext()).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(createCaller(createInnerContext()).account.signOutEverywhere()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
