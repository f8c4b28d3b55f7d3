import { Auth } from "@auth/core";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "@/server/auth/config";
import { hashPassword } from "@/server/auth/password";
import { sessionCookieValue, sessionFromCookies } from "@/server/auth/session-token";
import { resetEnvForTests } from "@/server/env";
import { resetMemoryRateLimitsForTests } from "@/server/ratelimit";
import { closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

/**
 * The tRPC context decodes the session cookie directly (server/auth/session-token.ts) instead of running next-auth's
 * session endpoint per call. It must answer exactly what that endpoint answers for the same cookie: the same claims
 * for a real sign-in, and no session for an expired, tampered, foreign-secret or misnamed token.
 */
const APP = "https://checklist.example";
const SECRET = "session-token-secret-0123456789abcdef";
const NAME = "__Secure-authjs.session-token";
const PASSWORD = "correct horse battery staple 7";
const config = () => ({ ...authConfig(), basePath: "/api/auth" });
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

/** What next-auth's own session endpoint makes of the cookie (null: no session). */
async function viaNextAuth(cookie: string) {
  const res = await Auth(new Request(`${APP}/api/auth/session`, { headers: { cookie } }), config());
  const body = (await res.json()) as { userId?: string; sessionVersion?: number; sessionId?: string | null } | null;
  return body?.userId ? { userId: body.userId, sessionVersion: body.sessionVersion, sessionId: body.sessionId } : null;
}

async function signIn(email: string): Promise<string> {
  const csrfRes = await Auth(new Request(`${APP}/api/auth/csrf`), config());
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await Auth(
    new Request(`${APP}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrfRes) },
      body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${APP}/` }),
    }),
    config(),
  );
  const session = res.headers.getSetCookie().find((c) => c.startsWith(`${NAME}=`));
  expect(session).toBeDefined();
  return session!.split(";")[0]!;
}

describe(`session cookie decoded directly (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    process.env.APP_URL = APP;
    process.env.AUTH_SECRET = SECRET;
    await openTestDatabase();
    resetEnvForTests();
    resetMemoryRateLimitsForTests();
  });
  afterAll(closeDatabase);

  it("answers the claims next-auth answers for a real sign-in", async () => {
    const user = await createUser({ passwordHash: await hashPassword(PASSWORD) });
    const cookie = await signIn(user.email);
    const direct = await sessionFromCookies(`theme=dark; ${cookie}; rc_restaurant=x`);
    expect(direct).toEqual({ userId: user.id, sessionVersion: user.sessionVersion, sessionId: expect.any(String) });
    expect(direct).toEqual(await viaNextAuth(cookie));
  });

  it("answers no session where next-auth answers none", async () => {
    const claims = { sub: "u", uid: "7f1c2b8e-3a4d-4e5f-8a9b-0c1d2e3f4a5b", sv: 3, sid: "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d" };
    const good = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: 3600 });
    expect(await sessionFromCookies(`${NAME}=${good}`)).toEqual({ userId: claims.uid, sessionVersion: 3, sessionId: claims.sid });
    const cases = {
      expired: `${NAME}=${await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: -60 })}`,
      tampered: `${NAME}=${good.slice(0, -4)}AAAA`,
      otherSecret: `${NAME}=${await encode({ token: claims, secret: "another-secret-0123456789abcdefgh", salt: NAME, maxAge: 3600 })}`,
      // The http name on an https app (another salt too): not this app's session cookie.
      otherName: `authjs.session-token=${await encode({ token: claims, secret: SECRET, salt: "authjs.session-token", maxAge: 3600 })}`,
      noUser: `${NAME}=${await encode({ token: { sub: "u" }, secret: SECRET, salt: NAME, maxAge: 3600 })}`,
      garbage: `${NAME}=not-a-token`,
      none: "theme=dark",
    };
    for (const [name, cookie] of Object.entries(cases)) {
      expect(await sessionFromCookies(cookie), name).toBeNull();
      expect(await viaNextAuth(cookie), name).toBeNull();
    }
    expect(await sessionFromCookies(null)).toBeNull();
  });

  it("reassembles a token split over chunked cookies", async () => {
    const token = await encode({ token: { uid: "7f1c2b8e-3a4d-4e5f-8a9b-0c1d2e3f4a5b", sv: 1 }, secret: SECRET, salt: NAME, maxAge: 3600 });
    const half = Math.floor(token.length / 2);
    const chunked = `${NAME}.1=${token.slice(half)}; ${NAME}.0=${token.slice(0, half)}`;
    expect(sessionCookieValue(chunked, NAME)).toBe(token);
    expect(await sessionFromCookies(chunked)).toEqual({ userId: "7f1c2b8e-3a4d-4e5f-8a9b-0c1d2e3f4a5b", sessionVersion: 1, sessionId: null });
    expect(await viaNextAuth(chunked)).toEqual(await sessionFromCookies(chunked));
  });
});
