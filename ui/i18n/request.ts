import { and, desc, eq, sql } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { withPlatform } from "@/db/scope";
import { memberships, restaurants } from "@/db/schema";
import { getCurrentUser } from "@/server/auth/session";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { loadMessages } from "./messages";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "./locales";

/** The language of the restaurant the user works in (the picked one if they belong to it, else their first). */
async function restaurantLocale(userId: string, picked: string | null): Promise<Locale | null> {
  const pickedId = picked && /^[0-9a-f-]{36}$/i.test(picked) ? picked : null;
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({ locale: restaurants.locale })
      .from(memberships)
      .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
      .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
      .orderBy(desc(sql`${memberships.restaurantId} = ${pickedId}::uuid`), memberships.createdAt)
      .limit(1),
  );
  return row?.locale ?? null;
}

/**
 * The signed-in user's choice, else their restaurant's language, else the cookie, else the browser's language,
 * else Russian. getCurrentUser is cached per request (the layout needs it anyway); the restaurant is looked up
 * only for users who chose nothing.
 */
async function resolveLocale(): Promise<Locale> {
  const jar = await cookies();
  const user = await getCurrentUser();
  if (user?.locale) return user.locale;
  if (user) {
    const fromRestaurant = await restaurantLocale(user.id, readActiveRestaurant((await headers()).get("cookie")));
    if (fromRestaurant) return fromRestaurant;
  }
  const picked = jar.get(LOCALE_COOKIE)?.value;
  if (isLocale(picked)) return picked;
  const accept = (await headers()).get("accept-language") ?? "";
  const first = accept.split(",")[0]?.slice(0, 2).toLowerCase();
  return isLocale(first) ? first : DEFAULT_LOCALE;
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: await loadMessages(locale) };
});
