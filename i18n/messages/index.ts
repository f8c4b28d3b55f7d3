import type { Locale } from "../locales";

/**
 * One JSON file per namespace and locale (i18n/messages/<locale>/<namespace>.json), so areas of the app keep
 * their texts apart. Add a namespace: create both files and list it here.
 */
const NAMESPACES = ["app", "errors", "signIn", "nav", "dashboard", "roles", "passwordReset", "account", "outbox", "catalog", "history", "checklist", "orders", "admin", "team", "invite", "settings", "jobs", "posterConnect"] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, ((await import(`./${locale}/${ns}.json`)) as { default: unknown }).default] as const),
  );
  return Object.fromEntries(entries);
}
