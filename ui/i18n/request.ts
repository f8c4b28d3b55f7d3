import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";
import { activeRestaurantLocale } from "@/server/tenancy/active-restaurant";

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
    const fromRestaurant = await activeRestaurantLocale(user.id, readActiveRestaurant((await headers()).get("cookie")));
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
