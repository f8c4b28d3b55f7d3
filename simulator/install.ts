import { provideEmbeddedPoster } from "@/server/poster/transport";
import { EMBEDDED_SIM_BASE_PATH, getEmbeddedSimulator } from "./embedded";

/**
 * Hands the embedded simulator to server/poster/transport.ts (which never imports it). Lazy: the simulator is
 * created on the first Poster call, and only when server/env.ts simulatorEnabled() lets transport ask.
 */
export function installEmbeddedSimulator(): void {
  provideEmbeddedPoster(() => ({ basePath: EMBEDDED_SIM_BASE_PATH, fetch: getEmbeddedSimulator().fetch }));
}
