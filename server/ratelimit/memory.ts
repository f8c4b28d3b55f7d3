import type { RateLimiter, RateLimitResult } from "@/server/ratelimit/types";
import { safeKey } from "@/server/ratelimit/types";

/** Timestamps (ms) of accepted requests per key, oldest first. */
type Store = Map<string, number[]>;

/** Shared per prefix, like Redis keys, so two limiters built with the same prefix count together. */
const stores = new Map<string, Store>();

const SWEEP_EVERY = 1_000;

export interface MemoryRateLimiterOptions {
  prefix: string;
  limit: number;
  windowSeconds: number;
  now?: () => number;
}

/** Exact sliding-log limiter for a single process: the embedded default and the fallback. */
export function createMemoryRateLimiter({ prefix, limit, windowSeconds, now = Date.now }: MemoryRateLimiterOptions): RateLimiter {
  const windowMs = windowSeconds * 1000;
  let store = stores.get(prefix);
  if (!store) stores.set(prefix, (store = new Map()));
  const log = store;
  let calls = 0;

  const sweep = (t: number) => {
    for (const [k, times] of log) {
      const last = times[times.length - 1];
      if (last === undefined || last <= t - windowMs) log.delete(k);
    }
  };

  return {
    async limit(rawKey): Promise<RateLimitResult> {
      const key = safeKey(rawKey);
      const t = now();
      if (++calls % SWEEP_EVERY === 0) sweep(t);
      const times = (log.get(key) ?? []).filter((x) => x > t - windowMs);
      if (times.length < limit) {
        times.push(t);
        log.set(key, times);
        return { success: true, remaining: limit - times.length, retryAfterSeconds: 0, limit };
      }
      log.set(key, times);
      // The oldest request in the window is the next to leave it (times[0] exists: length ≥ limit ≥ 1).
      const oldest = times[times.length - limit] ?? t;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - t) / 1000));
      return { success: false, remaining: 0, retryAfterSeconds, limit };
    },
    async reset(rawKey) {
      log.delete(safeKey(rawKey));
    },
  };
}

export function resetMemoryRateLimitsForTests(): void {
  stores.clear();
}
