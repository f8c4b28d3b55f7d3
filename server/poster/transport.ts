import { env, simulatorEnabled } from "@/server/env";
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
 * /api/poster-sim for the browser's OAuth redirect.
 */
export function posterTarget(accountLogin?: string): PosterTarget {
  const { POSTER_API_URL, APP_URL } = env();
  if (POSTER_API_URL) {
    let base = POSTER_API_URL.replace(/\/+$/, "");
    // Real Poster serves each account on its own host; the generic host works too.
    if (accountLogin && /^https:\/\/joinposter\.com$/.test(base)) base = `https://${accountLogin}.joinposter.com`;
    return { baseUrl: base, publicBaseUrl: POSTER_API_URL.replace(/\/+$/, ""), fetch: undefined, simulated: false };
  }
  if (!simulatorEnabled()) throw new Error("POSTER_API_URL is not set and the Poster simulator is off (POSTER_SIMULATOR=embedded is for demos only).");
  const publicBaseUrl = `${APP_URL.replace(/\/+$/, "")}${EMBEDDED_SIM_BASE_PATH}`;
  return { baseUrl: publicBaseUrl, publicBaseUrl, fetch: getEmbeddedSimulator().fetch, simulated: true };
}
