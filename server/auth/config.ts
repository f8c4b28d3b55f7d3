import { CredentialsSignin } from "@auth/core/errors";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
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
 * next-auth v5 with e-mail + password (Credentials needs JWT sessions). The JWT carries the user id and the
 * session version; every tRPC call and protected page compares the version with the database, so revocation
 * takes effect on the next request. Kept apart from the NextAuth() call so tests can run it through @auth/core.
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
          const result = await checkCredentials(credentials, clientAddress(request.headers));
          if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
          if (result.reason === "rateLimited") throw new SignInRateLimited(result.retryAfterSeconds);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 1;
        }
        return token;
      },
      session({ session, token }) {
        session.userId = String(token.uid ?? "");
        session.sessionVersion = Number(token.sv ?? 0);
        return session;
      },
    },
  };
}
