import { env } from "@/server/env";

/**
 * The simulator's webhook target from POSTER_SIM_WEBHOOK_URL: null when it says "off" (no webhook is sent at all),
 * `fallback` when it is unset. Validated by the env schema, so "off" can never end up used as a URL.
 */
export function simulatorWebhookUrl(fallback: string | null): string | null {
  const setting = env().POSTER_SIM_WEBHOOK_URL;
  if (setting === "off") return null;
  return setting ?? fallback;
}
