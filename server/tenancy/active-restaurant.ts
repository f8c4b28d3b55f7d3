import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, restaurants } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import type { Locale } from "@/i18n/locales";

// "Which restaurant is the user in" in one place: the tenant procedure (server/trpc/init.ts) and the page's
// language (ui/i18n/request.ts) read the picked restaurant (cookie or header, a hint only) the same way.

const restaurantIdSchema = z.uuid();

/** The picked restaurant id when it is one at all (a hint only: membership is checked wherever it is used). */
export function pickedRestaurantId(value: string | null | undefined): string | null {
  return value && restaurantIdSchema.safeParse(value).success ? value : null;
}

/** The user's first active membership, when they have not picked a restaurant yet. */
export async function defaultRestaurantId(userId: string): Promise<string | null> {
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({ restaurantId: memberships.restaurantId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
      .orderBy(memberships.createdAt)
      .limit(1),
  );
  return row?.restaurantId ?? null;
}

/** The language and time zone of the restaurant the user works in (the picked one if they belong to it, else their first). */
export async function activeRestaurantLocalization(userId: string, picked: string | null): Promise<{ locale: Locale; timeZone: string } | null> {
  const pickedId = pickedRestaurantId(picked);
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({ locale: restaurants.locale, timeZone: restaurants.timezone })
      .from(memberships)
      .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
      .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
      .orderBy(desc(sql`${memberships.restaurantId} = ${pickedId}::uuid`), memberships.createdAt)
      .limit(1),
  );
  return row ?? null;
}
