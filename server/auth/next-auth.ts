import NextAuth from "next-auth";
import { authConfig } from "@/server/auth/config";

declare module "next-auth" {
  interface Session {
    userId: string;
    sessionVersion: number;
    /** The recorded session (user_sessions.id); null for a token without one. */
    sessionId: string | null;
  }
}

export { SignInRateLimited } from "@/server/auth/config";

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());
