import { createPosterClient, type PosterClientOptions } from "@/server/poster/client";
import type { PosterLimiter } from "@/server/poster/limiter";
import { createPosterSimulator, DEMO_ACCOUNTS, type PosterSimulator } from "@/simulator";

export const CAFE = DEMO_ACCOUNTS[0];
export const BAR = DEMO_ACCOUNTS[1];
export const BASE = "http://poster.test";

/** No limiting at all: for tests that are not about limits (and to prove the limit checks can fail). */
export const noLimiter: PosterLimiter = { run: (_key, fn) => fn() };

/** Fast retries so fault tests stay quick. */
export const FAST_RETRY = { retries: 4, minTimeoutMs: 1, maxTimeoutMs: 5 };

export function clientFor(sim: PosterSimulator, overrides: Partial<PosterClientOptions> = {}) {
  return createPosterClient({
    baseUrl: BASE,
    accountNumber: CAFE.accountNumber,
    token: CAFE.token,
    fetch: sim.fetch,
    limiter: noLimiter,
    retry: FAST_RETRY,
    ...overrides,
  });
}

export function api(sim: PosterSimulator, method: string, query: Record<string, string> = {}, init?: RequestInit, token: string = CAFE.token) {
  const q = new URLSearchParams({ token, ...query });
  return sim.fetch(`${BASE}${sim.basePath}/api/${method}?${q.toString()}`, init);
}

export async function apiJson(sim: PosterSimulator, method: string, query: Record<string, string> = {}, init?: RequestInit, token?: string) {
  const res = await api(sim, method, query, init, token);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const newSim = (opts: Parameters<typeof createPosterSimulator>[0] = {}) => createPosterSimulator(opts);

/** Largest number of timestamps inside any half-open window [t, t + windowMs) that starts at a request. */
export function maxInSlidingWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Largest count inside one epoch-aligned window (how Upstash's limiters bucket time). */
export function maxInAlignedWindow(times: readonly number[], windowMs: number): number {
  const buckets = new Map<number, number>();
  for (const t of times) buckets.set(Math.floor(t / windowMs), (buckets.get(Math.floor(t / windowMs)) ?? 0) + 1);
  return Math.max(0, ...buckets.values());
}
