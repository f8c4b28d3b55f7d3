import { Auth } from "@auth/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog, userSessions } from "@/db/schema";
import { deleteOldSessions, SESSION_MAX_AGE_SECONDS, SESSION_TOUCH_INTERVAL_MS } from "@/server/accounts/sessions";
import { authConfig } from "@/server/auth/config";
import { hashPassword } from "@/server/auth/password";
import { resetCacheForTests } from "@/server/cache";
import { resetEnvForTests } from "@/server/env";
import { resetMemoryRateLimitsForTests } from "@/server/ratelimit";
import { createInnerContext, type SessionClaims } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

const PASSWORD = "correct horse battery staple 7";
const APP = "https://checklist.example";
const PIXEL = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

const config = () => ({ ...authConfig(), basePath: "/api/auth" });
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

async function csrf(cookie = "") {
  const res = await Auth(new Request(`${APP}/api/auth/csrf`, { headers: { cookie } }), config());
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { csrfToken, cookie: [cookie, cookiesOf(res)].filter(Boolean).join("; ") };
}

/** Signs in through next-auth's own route, like a browser: the session cookie it sets. */
async function signIn(email: string, userAgent: string): Promise<string> {
  const { csrfToken, cookie } = await csrf();
  const res = await Auth(
    new Request(`${APP}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "user-agent": userAgent },
      body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${APP}/` }),
    }),
    config(),
  );
  const session = res.headers.getSetCookie().find((c) => c.startsWith("__Secure-authjs.session-token="));
  expect(session, res.headers.get("location") ?? "").toBeDefined();
  return session!.split(";")[0]!;
}

async function signOut(sessionCookie: string): Promise<void> {
  const { csrfToken, cookie } = await csrf(sessionCookie);
  const res = await Auth(
    new Request(`${APP}/api/auth/signout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/sign-in` }),
    }),
    config(),
  );
  expect(res.status).toBe(302);
}

/** What the server decodes from a cookie (the JWT is stateless: a copy decodes the same after sign-out). */
async function claimsOf(sessionCookie: string): Promise<SessionClaims> {
  const res = await Auth(new Request(`${APP}/api/auth/session`, { headers: { cookie: sessionCookie } }), config());
  const session = (await res.json()) as { userId: string; sessionVersion: number; sessionId: string | null };
  expect(session.userId).toBeTruthy();
  return { userId: session.userId, sessionVersion: session.sessionVersion, sessionId: session.sessionId };
}

const callerFor = async (cookie: string, restaurantId?: string) =>
  createCaller(createInnerContext({ session: await claimsOf(cookie), requestedRestaurantId: restaurantId ?? null }));

describe(`signed-in devices (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    process.env.APP_URL = APP;
    process.env.AUTH_SECRET = "integration-secret-0123456789abcdef";
    await openTestDatabase();
    resetEnvForTests();
  });
  afterAll(closeDatabase);
  beforeEach(() => {
    resetMemoryRateLimitsForTests();
    resetCacheForTests();
  });

  async function member() {
    const restaurant = await createRestaurant();
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    await addMembership({ restaurantId: restaurant.id, userId: user.id, role: "manager" });
    return { restaurant, user };
  }

  it("signing out ends that session: a copied cookie is refused (UNAUTHORIZED) on both paths, the other device keeps working", async () => {
    const { restaurant, user } = await member();
    const phone = await signIn(user.email, PIXEL);
    const laptop = await signIn(user.email, MAC);
    const copied = phone;

    expect((await (await callerFor(phone)).account.me()).email).toBe(user.email);
    expect((await (await callerFor(phone, restaurant.id)).restaurant.current()).role).toBe("manager");
    const listed = await (await callerFor(laptop)).account.devices();
    expect(listed.filter((d) => d.deviceLabel === "Chrome / Android" || d.deviceLabel === "Safari / macOS")).toHaveLength(2);
    expect(listed.find((d) => d.current)?.deviceLabel).toBe("Safari / macOS");

    await signOut(phone);
    // The JWT still decodes (it is stateless) ...
    expect((await claimsOf(copied)).userId).toBe(user.id);
    // ... but the session it names has ended, on the platform path and in the tenant transaction.
    await expect((await callerFor(copied)).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
    await expect((await callerFor(copied, restaurant.id)).restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
    expect((await (await callerFor(laptop, restaurant.id)).restaurant.current()).role).toBe("manager");
    // (createUser's own session has no label.)
    expect((await (await callerFor(laptop)).account.devices()).map((d) => d.deviceLabel).sort()).toEqual(["", "Safari / macOS"]);
  });

  it("'sign out' on one device of the account page ends only that one, only the user's own, and is audited", async () => {
    const { user } = await member();
    const phone = await signIn(user.email, PIXEL);
    const laptop = await signIn(user.email, MAC);
    const stranger = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const strangers = await signIn(stranger.email, PIXEL);
    const phoneId = (await claimsOf(phone)).sessionId!;

    // Another user's session id ends nothing.
    expect(await (await callerFor(strangers)).account.signOutDevice({ id: phoneId })).toEqual({ ended: false, current: false });
    expect((await (await callerFor(phone)).account.me()).email).toBe(user.email);

    expect(await (await callerFor(laptop)).account.signOutDevice({ id: phoneId })).toEqual({ ended: true, current: false });
    await expect((await callerFor(phone)).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const laptopId = (await claimsOf(laptop)).sessionId!;
    expect(await (await callerFor(laptop)).account.signOutDevice({ id: laptopId })).toEqual({ ended: true, current: true });
    await expect((await callerFor(laptop)).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(eq(auditLog.actorUserId, user.id)));
    expect(audit.filter((a) => a.action === "auth.signed_out_device").map((a) => a.targetId).sort()).toEqual([phoneId, laptopId].sort());
  });

  it("a token without a recorded session (issued before sessions were recorded) is refused", async () => {
    const { user, restaurant } = await member();
    const noSid = createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: null }, requestedRestaurantId: restaurant.id }));
    await expect(noSid.account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
    await expect(noSid.restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
    // Another user's session id does not pass for this user.
    const other = await createUser();
    const borrowed = createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: other.sessionId } }));
    await expect(borrowed.account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED", reason: "session_ended" });
  });

  it("records last use at most once per interval, not on every request", async () => {
    const { user } = await member();
    const caller = createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId } }));
    const lastSeen = async () => (await withPlatform("test", (tx) => tx.select({ at: userSessions.lastSeenAt }).from(userSessions).where(eq(userSessions.id, user.sessionId))))[0]!.at;
    const old = new Date(Date.now() - SESSION_TOUCH_INTERVAL_MS - 60_000);
    await withPlatform("test", (tx) => tx.update(userSessions).set({ lastSeenAt: old }).where(eq(userSessions.id, user.sessionId)));
    await caller.account.me();
    await expect.poll(lastSeen).not.toEqual(old);
    const touched = await lastSeen();
    expect(Date.now() - touched.getTime()).toBeLessThan(60_000);
    for (let i = 0; i < 3; i++) await caller.account.me();
    await new Promise((r) => setTimeout(r, 200));
    expect(await lastSeen()).toEqual(touched);
  });

  it("sign out everywhere and a password change end every recorded session", async () => {
    const { user } = await member();
    const phone = await signIn(user.email, PIXEL);
    const laptop = await signIn(user.email, MAC);
    await (await callerFor(laptop)).account.signOutEverywhere();
    for (const cookie of [phone, laptop]) await expect((await callerFor(cookie)).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const open = await withPlatform("test", (tx) => tx.select().from(userSessions).where(eq(userSessions.userId, user.id)));
    expect(open.filter((s) => !s.revokedAt)).toEqual([]);
  });

  it("the daily cleanup deletes sessions ended over a day ago and expired ones, keeps the live and the just ended", async () => {
    const { user } = await member();
    const day = 24 * 60 * 60 * 1000;
    const rows = await withPlatform("test", (tx) =>
      tx
        .insert(userSessions)
        .values([
          { userId: user.id, deviceLabel: "ended long ago", revokedAt: new Date(Date.now() - 2 * day) },
          { userId: user.id, deviceLabel: "expired", lastSeenAt: new Date(Date.now() - SESSION_MAX_AGE_SECONDS * 1000 - day) },
          { userId: user.id, deviceLabel: "just ended", revokedAt: new Date() },
        ])
        .returning({ id: userSessions.id, deviceLabel: userSessions.deviceLabel }),
    );
    await withPlatform("test", (tx) => deleteOldSessions(tx));
    const left = await withPlatform("test", (tx) => tx.select({ id: userSessions.id, deviceLabel: userSessions.deviceLabel }).from(userSessions).where(eq(userSessions.userId, user.id)));
    expect(left.map((r) => r.id).sort()).toEqual([user.sessionId, rows.find((r) => r.deviceLabel === "just ended")!.id].sort());
  });
});
