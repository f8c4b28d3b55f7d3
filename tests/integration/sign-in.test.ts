import { Auth } from "@auth/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog } from "@/db/schema";
import { authConfig } from "@/server/auth/config";
import { hashPassword } from "@/server/auth/password";
import { checkCredentials, SIGN_IN_SLOWDOWN } from "@/server/auth/sign-in";
import { resetCacheForTests } from "@/server/cache";
import { resetEnvForTests } from "@/server/env";
import { resetMemoryRateLimitsForTests } from "@/server/ratelimit";
import { markPeerAddressHookActive, PEER_ADDRESS_HEADER } from "@/server/security/client-address";
import { closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

const PASSWORD = "correct horse battery staple 7";
const APP = "https://checklist.example";

describe(`sign-in (${testDatabaseKind()})`, () => {
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

  it("locks an (e-mail, address) pair after 5 wrong passwords, even for the right one, with a retry time", async () => {
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const ip = "203.0.113.20";
    for (let i = 0; i < 5; i++) expect(await checkCredentials({ email: user.email, password: `wrong ${i}` }, ip)).toEqual({ ok: false, reason: "invalid" });
    const locked = await checkCredentials({ email: user.email, password: PASSWORD }, ip);
    expect(locked).toMatchObject({ ok: false, reason: "rateLimited" });
    expect(locked.ok === false && locked.reason === "rateLimited" && locked.retryAfterSeconds).toBeGreaterThan(800);
    // Failures are audited without the password, with the address.
    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.actorUserId, user.id))));
    expect(audit).toHaveLength(5);
    expect(audit.every((a) => a.ip === ip)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain("wrong 0");
  });

  it("a stranger cannot lock the owner out: 6 wrong passwords from 6 addresses, then the right one from a 7th signs in (slowed down)", async () => {
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    for (let i = 0; i < 6; i++) {
      expect(await checkCredentials({ email: user.email, password: `wrong ${i}` }, `198.51.100.${i + 1}`)).toEqual({ ok: false, reason: "invalid" });
    }
    const started = Date.now();
    const owner = await checkCredentials({ email: user.email, password: PASSWORD }, "192.0.2.77");
    expect(owner.ok).toBe(true);
    // Past 5 failures from anywhere the e-mail is only slowed down, not refused.
    expect(Date.now() - started).toBeGreaterThanOrEqual(SIGN_IN_SLOWDOWN.delayMs - 50);
    // Even when the address is unknown (no trusted source): slowed, never refused.
    for (let i = 0; i < 5; i++) await checkCredentials({ email: user.email, password: "nope" }, null);
    expect((await checkCredentials({ email: user.email, password: PASSWORD }, null)).ok).toBe(true);
  }, 30_000);

  it("forgets an e-mail's failures after a successful sign-in", async () => {
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    for (let i = 0; i < 4; i++) await checkCredentials({ email: user.email, password: "nope" }, null);
    expect((await checkCredentials({ email: user.email, password: PASSWORD }, null)).ok).toBe(true);
    for (let i = 0; i < 4; i++) await checkCredentials({ email: user.email, password: "nope" }, null);
    expect((await checkCredentials({ email: user.email, password: PASSWORD }, null)).ok).toBe(true);
  });

  it("locks an IP after 20 failures over many e-mails, but successes from it do not count", async () => {
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const ip = "203.0.113.77";
    for (let i = 0; i < 30; i++) expect((await checkCredentials({ email: user.email, password: PASSWORD }, ip)).ok).toBe(true);
    for (let i = 0; i < 20; i++) await checkCredentials({ email: `spray-${i}@test.local`, password: "guess" }, ip);
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: "rateLimited" });
    // The same user from elsewhere is fine.
    expect((await checkCredentials({ email: user.email, password: PASSWORD }, "198.51.100.1")).ok).toBe(true);
  });

  describe("through the auth route handler", () => {
    const config = () => ({ ...authConfig(), basePath: "/api/auth" });

    async function csrf() {
      const res = await Auth(new Request(`${APP}/api/auth/csrf`), config());
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      return { csrfToken, cookie };
    }

    // As our HTTP server hook does (server/security/peer-address-hook.ts): the socket address in its own header.
    beforeAll(markPeerAddressHookActive);

    async function postCredentials(email: string, password: string, forwardedFor = "192.0.2.10") {
      const { csrfToken, cookie } = await csrf();
      return Auth(
        new Request(`${APP}/api/auth/callback/credentials`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": forwardedFor, [PEER_ADDRESS_HEADER]: "203.0.113.50" },
          body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${APP}/` }),
        }),
        config(),
      );
    }

    it("sets an httpOnly, SameSite=Lax, Secure, __Secure- session cookie on https", async () => {
      const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
      const res = await postCredentials(user.email, PASSWORD);
      expect(res.status).toBe(302);
      const session = res.headers.getSetCookie().find((c) => c.startsWith("__Secure-authjs.session-token="));
      expect(session, res.headers.getSetCookie().join("\n")).toBeDefined();
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Lax/i);
      expect(session).toMatch(/;\s*Secure/i);
      expect(session).toMatch(/;\s*Path=\//i);
    });

    it("refuses 25 failures with a forged, rotating X-Forwarded-For: the address is the socket's", async () => {
      const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
      const codes: string[] = [];
      for (let i = 0; i < 25; i++) {
        const res = await postCredentials(user.email, `wrong ${i}`, `198.51.100.${i + 1}`);
        codes.push(new URL(res.headers.get("location")!).searchParams.get("code") ?? "");
      }
      expect(codes.slice(0, 5)).toEqual(Array(5).fill("credentials"));
      expect(codes.slice(5)).toEqual(Array(20).fill("rate_limited"));
      const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.actorUserId, user.id))));
      expect(new Set(audit.map((a) => a.ip))).toEqual(new Set(["203.0.113.50"]));
    });

    it("answers a locked (e-mail, address) with the rate_limited code and no session", async () => {
      const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
      for (let i = 0; i < 5; i++) {
        const res = await postCredentials(user.email, "wrong");
        expect(res.headers.get("location")).toContain("code=credentials");
      }
      const res = await postCredentials(user.email, PASSWORD);
      expect(res.headers.get("location")).toContain("code=rate_limited");
      expect(res.headers.getSetCookie().some((c) => c.includes("session-token=") && !/Max-Age=0/i.test(c))).toBe(false);
    });
  });
});
