import { eq } from "drizzle-orm";
import { invalidateAfterCommit } from "@/server/tenancy/access-cache";
import type { Tx } from "@/db/client";
import { restaurants } from "@/db/schema";
import type { PosterSettings } from "@/server/poster";
import type { SettingsChanges, SettingsField } from "./types";
import type { Locale } from "@/vocabulary/constants";

/** Poster's ISO-639 `lang` ("ua" for Ukrainian) → one of our locales; the CIS languages read Russian best. */
export function localeFromPosterLang(lang: string): Locale {
  const l = lang.trim().toLowerCase().slice(0, 2);
  if (l === "en") return "en";
  // Unknown: the app's default language, as most Poster accounts are in the CIS.
  if (l === "") return "ru";
  return ["ru", "ua", "uk", "be", "kz", "kk", "uz", "ky", "tg", "hy", "az", "ka", "ro", "tk"].includes(l) ? "ru" : "en";
}

export function validTimezone(tz: string): string | null {
  if (!tz) return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

export type RestaurantSettings = Record<SettingsField, string> & { locale: Locale };

/**
 * The restaurant's name, currency, timezone and language as the account settings give them. A value Poster left
 * empty or sent unusable keeps `current` (or the default, for a new restaurant).
 */
export function restaurantSettingsFrom(settings: PosterSettings, current: Partial<RestaurantSettings> = {}): RestaurantSettings {
  const lang = settings.lang.trim();
  return {
    name: settings.companyName.trim().slice(0, 200) || current.name || settings.login,
    currency: /^[A-Z]{3}$/.test(settings.currency.iso) ? settings.currency.iso : (current.currency ?? "RUB"),
    timezone: validTimezone(settings.timezone) ?? current.timezone ?? "Europe/Moscow",
    locale: lang ? localeFromPosterLang(lang) : (current.locale ?? "ru"),
  };
}

/**
 * Refreshes the restaurant's settings from Poster's (every full sync, so reconnecting refreshes them too) and
 * says what changed. Runs in the sync's tenant transaction: it commits with the rest of the sync or not at all.
 */
export async function applyAccountSettings(tx: Tx, restaurantId: string, settings: PosterSettings): Promise<SettingsChanges> {
  const [row] = await tx
    .select({ name: restaurants.name, currency: restaurants.currency, timezone: restaurants.timezone, locale: restaurants.locale })
    .from(restaurants)
    .where(eq(restaurants.id, restaurantId));
  if (!row) return {};
  const next = restaurantSettingsFrom(settings, row);
  const changes: SettingsChanges = {};
  for (const field of ["name", "currency", "timezone", "locale"] as const) {
    if (next[field] !== row[field]) changes[field] = { from: row[field], to: next[field] };
  }
  if (Object.keys(changes).length > 0) {
    await tx.update(restaurants).set(next).where(eq(restaurants.id, restaurantId));
    invalidateAfterCommit(tx, { restaurant: restaurantId });
  }
  return changes;
}
