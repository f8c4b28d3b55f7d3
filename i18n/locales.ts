import { LOCALES, type Locale } from "@/vocabulary/constants";

export { LOCALES, type Locale };
export const DEFAULT_LOCALE: Locale = "ru";
export const LOCALE_COOKIE = "rc_locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
