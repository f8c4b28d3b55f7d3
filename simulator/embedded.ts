import { env, posterApplication } from "@/server/env";
import { simulatorWebhookUrl } from "./config";
import type { PosterSimulator } from "./contract";
import { createPosterSimulator } from "./simulator";

/** The app mounts the simulator here when it is enabled (server/env.ts simulatorEnabled). */
export const EMBEDDED_SIM_BASE_PATH = "/api/poster-sim";

/**
 * Demo mode posts webhooks to the app's own endpoint so the whole loop runs locally.
 * POSTER_SIM_WEBHOOK_URL overrides it; "off" disables webhooks.
 */
function embeddedWebhookUrl(): string | null {
  return simulatorWebhookUrl(`${env().APP_URL.replace(/\/+$/, "")}/api/webhooks/poster`);
}

const KEY = Symbol.for("restaurant-checklist.poster-simulator");
type Holder = { [KEY]?: PosterSimulator };

/**
 * One simulator per process, kept on globalThis so Next dev hot reloads keep its state
 * (created supplies, faults, tokens) instead of regenerating it on every edit.
 */
export function getEmbeddedSimulator(): PosterSimulator {
  const holder = globalThis as Holder;
  const appOrigin = new URL(env().APP_URL).origin;
  holder[KEY] ??= createPosterSimulator({
    basePath: EMBEDDED_SIM_BASE_PATH,
    application: posterApplication(),
    webhooks: { url: embeddedWebhookUrl() },
    // The control API is for POSTER_SIM_CONTROL_SECRET holders (and platform admins, checked by the route); its
    // webhooks may only call this app, never another host.
    control: { secret: env().POSTER_SIM_CONTROL_SECRET ?? null, webhookUrlAllowed: (url) => url.origin === appOrigin },
  });
  return holder[KEY];
}

/** Tests only: forget the singleton. */
export function resetEmbeddedSimulator(): void {
  const holder = globalThis as Holder;
  holder[KEY]?.close();
  delete holder[KEY];
}
