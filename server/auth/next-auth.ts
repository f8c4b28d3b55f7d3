import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authSecret } from "@/server/auth/secret";
import { checkCredentials } from "@/server/auth/sign-in";

declare module "next-auth" {
  interface Session {
    userId: string;
    sessionVersion: number;
  }
}

/**
 * next-auth v5 with e-mail + password (Credentials needs JWT sessions). The JWT carries the user id and the
 * session version; every tRPC call and protected page compares the version with the database, so revocation
 * takes effect on the next request.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
        const user = await checkCredentials(credentials, ip);
        return user ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
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
}));
