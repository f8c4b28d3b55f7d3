import { env, simulatorEnabled } from "@/server/env";
import { accountBaseUrl, genericBaseUrl } from "./hosts";

export interface PosterTarget {
  /** For createPosterClient / exchangeOAuthCode (server-side calls). */
  baseUrl: string;
  /** For URLs the browser follows (buildAuthorizeUrl). */
  publicBaseUrl: string;
  /** In-process fetch for the embedded simulator; undefined = global fetch. */
  fetch: typeof fetch | undefined;
  simulated: boolean;
}

/** The embedded simulator as production code sees it: where the app mounts it, and its in-process fetch. */
export interface EmbeddedPoster {
  basePath: string;
  fetch: typeof fetch;
}

// On globalThis: Next bundles instrumentation (which installs it) apart from the routes (which call Poster).
const KEY = Symbol.for("restaurant-checklist.embedded-poster");
type Holder = { [KEY]?: () => EmbeddedPoster };

/**
 * Installed by the dev/demo wiring (simulator/install.ts, from server/startup.ts and the test setup): production
 * code never imports the simulator, so a build without the demo switch cannot reach it.
 */
export function provideEmbeddedPoster(provider: (() => EmbeddedPoster) | null): void {
  const holder = globalThis as Holder;
  if (provider) holder[KEY] = provider;
  else delete holder[KEY];
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
  const provider = (globalThis as Holder)[KEY];
  if (!provider) throw new Error("POSTER_API_URL is not set and the embedded Poster simulator is not installed (simulator/install.ts).");
  const embedded = provider();
  const base = at(`${APP_URL.replace(/\/+$/, "")}${embedded.basePath}`);
  return { baseUrl: base, publicBaseUrl: base, fetch: embedded.fetch, simulated: true };
}
