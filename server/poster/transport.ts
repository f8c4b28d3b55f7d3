import { env, simulatorEnabled } from "@/server/env";
import { accountBaseUrl, genericBaseUrl } from "./hosts";
import { EMBEDDED_SIM_BASE_PATH, getEmbeddedSimulator } from "./simulator/embedded";

export interface PosterTarget {
  /** For createPosterClient / exchangeOAuthCode (server-side calls). */
  baseUrl: string;
  /** For URLs the browser follows (buildAuthorizeUrl). */
  publicBaseUrl: string;
  /** In-process fetch for the embedded simulator; undefined = global fetch. */
  fetch: typeof fetch | undefined;
  simulated: boolean;
}

/**
 * Where Poster calls go: POSTER_API_URL when set (real Poster or `npm run poster:sim`), otherwise the embedded
 * simulator when it is enabled (development, or the demo switch), called in-process and mounted by the app at
 * /api/poster-sim for the browser's OAuth redirect. With an account, its own host (./hosts.ts); without, the
 * generic one (only for the authorize page when no account was chosen).
 */
export function posterTarget(accountLogin?: string): PosterTarget {
  const { POSTER_API_URL, APP_URL } = env();
  const at = (base: string) => (accountLogin ? accountBaseUrl(base, accountLogin) : genericBaseUrl(base));
  if (POSTER_API_URL) {
    const base = at(POSTER_API_URL);
    return { baseUrl: base, publicBaseUrl: base, fetch: undefined, simulated: false };
  }
  if (!simulatorEnabled()) throw new Error("POSTER_API_URL is not set and the Poster simulator is off (POSTER_SIMULATOR=embedded is for demos only).");
  const base = at(`${APP_URL.replace(/\/+$/, "")}${EMBEDDED_SIM_BASE_PATH}`);
  return { baseUrl: base, publicBaseUrl: base, fetch: getEmbeddedSimulator().fetch, simulated: true };
}
