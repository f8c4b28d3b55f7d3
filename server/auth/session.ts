import "server-only";
import { eq } from "drizzle-orm";
import { cache } from "react";
import { withPlatform } from "@/db/scope";
import { users } from "@/db/schema";
import { auth } from "@/server/auth/next-auth";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  /** The user's chosen language; null = the restaurant's. */
  locale: "ru" | "en" | null;
}

/** The signed-in user for a page, checked against the database once per request (revocation applies at once). */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  if (!session?.userId) return null;
  const [user] = await withPlatform("auth", (tx) => tx.select().from(users).where(eq(users.id, session.userId)));
  if (!user || !user.isActive || user.sessionVersion !== session.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin, locale: user.locale };
});
