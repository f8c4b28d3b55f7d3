import "server-only";
import { and, eq } from "drizzle-orm";
import { cache } from "react";
import { withPlatform } from "@/db/scope";
import { userSessions, users } from "@/db/schema";
import { isLiveSession, touchSessionIfStale } from "@/server/accounts/sessions";
import { auth } from "@/server/auth/next-auth";
import type { Locale } from "@/vocabulary/constants";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  /** The user's chosen language; null = the restaurant's. */
  locale: Locale | null;
}

/** The signed-in user for a page, checked against the database once per request (revocation and sign-out apply at once). */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  if (!session?.userId) return null;
  const [row] = await withPlatform("auth", (tx) =>
    tx
      .select({ user: users, sessionId: userSessions.id, revokedAt: userSessions.revokedAt, lastSeenAt: userSessions.lastSeenAt })
      .from(users)
      .leftJoin(userSessions, and(eq(userSessions.id, session.sessionId ?? "00000000-0000-0000-0000-000000000000"), eq(userSessions.userId, users.id)))
      .where(eq(users.id, session.userId)),
  );
  const user = row?.user;
  if (!user || !user.isActive || user.sessionVersion !== session.sessionVersion || !isLiveSession(row)) return null;
  touchSessionIfStale(row);
  return { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin, locale: user.locale };
});
