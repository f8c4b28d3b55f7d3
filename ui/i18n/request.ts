import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";
import { activeRestaurantLocalization } from "@/server/tenancy/active-restaurant";

/**
 * Language: the signed-in user's choice, else their restaurant's language, else the cookie, else the browser's
 * language, else Russian. Time zone: the restaurant's, so times read as on the restaurant's wall clock and the
 * server's render matches the browser's (no hydration mismatch); UTC signed out or without a restaurant.
 * getCurrentUser is cached per request (the layout needs it anyway).
 */
async function resolveLocaleAndTimeZone(): Promise<{ locale: Locale; timeZone: string }> {
  const jar = await cookies();
  const user = await getCurrentUser();
  const restaurant = user ? await activeRestaurantLocalization(user.id, readActiveRestaurant((await headers()).get("cookie"))) : null;
  const timeZone = restaurant?.timeZone ?? "UTC";
  if (user?.locale) return { locale: user.locale, timeZone };
  if (restaurant) return { locale: restaurant.locale, timeZone };
  const picked = jar.get(LOCALE_COOKIE)?.value;
  if (isLocale(picked)) return { locale: picked, timeZone };
  const accept = (await headers()).get("accept-language") ?? "";
  const first = accept.split(",")[0]?.slice(0, 2).toLowerCase();
  return { locale: isLocale(first) ? first : DEFAULT_LOCALE, timeZone };
}

export default getRequestConfig(async () => {
  const { locale, timeZone } = await resolveLocaleAndTimeZone();
  // One "now" for the server's render and the browser's hydration; relative times tick on from it (useFormat().relative).
  return { locale, timeZone, now: new Date(), messages: await loadMessages(locale) };
});
