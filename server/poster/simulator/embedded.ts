import { env } from "@/server/env";
import { createPosterSimulator, type PosterSimulator } from "./simulator";

/** The app mounts the simulator here when POSTER_API_URL is unset. */
export const EMBEDDED_SIM_BASE_PATH = "/api/poster-sim";

const KEY = Symbol.for("restaurant-checklist.poster-simulator");
type Holder = { [KEY]?: PosterSimulator };

/**
 * One simulator per process, kept on globalThis so Next dev hot reloads keep its state
 * (created supplies, faults, tokens) instead of regenerating it on every edit.
 */
export function getEmbeddedSimulator(): PosterSimulator {
  const holder = globalThis as Holder;
  holder[KEY] ??= createPosterSimulator({
    basePath: EMBEDDED_SIM_BASE_PATH,
    application: { id: env().POSTER_APPLICATION_ID, secret: env().POSTER_APPLICATION_SECRET },
  });
  return holder[KEY];
}

/** Tests only: forget the singleton. */
export function resetEmbeddedSimulator(): void {
  const holder = globalThis as Holder;
  holder[KEY]?.close();
  delete holder[KEY];
}
