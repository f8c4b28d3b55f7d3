import { CredentialsSignin } from "@auth/core/errors";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { withPlatform } from "@/db/scope";
import { parseSessionId, revokeSession, startSession } from "@/server/accounts/sessions";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";
import { authSecret } from "@/server/auth/secret";
import { checkCredentials } from "@/server/auth/sign-in";
import { clientAddress } from "@/server/security/client-address";

/** Thrown by authorize when the e-mail or IP is locked; the sign-in action shows the wait. */
export class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/**
 * Session cookies, explicit rather than inferred from each request's protocol (which a proxy may hide):
 * httpOnly, SameSite=Lax, and `Secure` with the `__Secure-` prefix whenever the public URL is https.
 */
export function sessionCookieOptions(appUrl: string) {
  const secure = new URL(appUrl).protocol === "https:";
  return {
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: `${secure ? "__Secure-" : ""}authjs.session-token`,
        options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
      },
    },
  };
}

/**
 * What a session token says (the `session` callback, and the tRPC context's direct decode in ./session-token.ts):
 * the user, the session version and the recorded session.
 */
export function claimsOfToken(token: Record<string, unknown>): { userId: string; sessionVersion: number; sessionId: string | null } {
  return {
    userId: String(token.uid ?? ""),
    sessionVersion: Number(token.sv ?? 0),
    // A token from before sessions were recorded has none: it is refused (signed out) like an ended one.
    sessionId: parseSessionId(token.sid),
  };
}

/**
 * next-auth v5 with e-mail + password (Credentials needs JWT sessions). The JWT carries the user id, the
 * session version and the recorded session's id; every tRPC call and protected page checks both against the
 * database, so revocation (and signing out) takes effect on the next request. Kept apart from the NextAuth() call so tests can run it through @auth/core.
 */
export function authConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    ...sessionCookieOptions(env().APP_URL),
    pages: { signIn: "/sign-in" },
    // Through our redacting logger; a wrong password is not an error (it is audited), and debug output (which
    // would include the submitted form) is never produced.
    logger: {
      error(error) {
        if (error instanceof CredentialsSignin) return;
        log.error("auth error", { error });
      },
      warn(code) {
        log.warn("auth warning", { code });
      },
      debug() {},
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const ip = clientAddress(request.headers);
          const result = await checkCredentials(credentials, ip);
          if (result.ok) {
            const sessionId = await withPlatform("auth", (tx) => startSession(tx, { userId: result.user.id, userAgent: request.headers.get("user-agent"), ip }));
            return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion, sessionId };
          }
          if (result.reason === "rateLimited") throw new SignInRateLimited(result.retryAfterSeconds);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const signedIn = user as { sessionVersion?: number; sessionId?: string };
          token.uid = user.id;
          token.sv = signedIn.sessionVersion ?? 1;
          token.sid = signedIn.sessionId;
        }
        return token;
      },
      session({ session, token }) {
        return Object.assign(session, claimsOfToken(token));
      },
    },
    events: {
      // Signing out ends this session on the server too: a copy of the cookie is refused from now on.
      async signOut(message) {
        const sessionId = "token" in message ? parseSessionId(message.token?.sid) : null;
        const userId = "token" in message ? message.token?.uid : undefined;
        if (!sessionId || typeof userId !== "string") return;
        await withPlatform("auth", (tx) => revokeSession(tx, userId, sessionId));
      },
    },
  };
}
