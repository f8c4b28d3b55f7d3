import type { Redis } from "@upstash/redis";
import { getCache, MemoryCache, type Cache } from "@/server/cache";
import { createRateLimiter, type RateLimiter } from "@/server/ratelimit";

export interface AttemptLimitRule {
  /** Failures allowed per window before the key is locked. */
  limit: number;
  windowSeconds: number;
}

export interface AttemptLimiter {
  /** Seconds to wait when any of the keys is locked, else 0. Counts nothing. */
  retryAfter(keys: Record<string, string | null>): Promise<number>;
  /** Counts one failure for each key; returns the seconds to wait when this failure locked a key, else 0. */
  fail(keys: Record<string, string | null>): Promise<number>;
  /** Forgets the failures of a key (e.g. the e-mail after a successful sign-in). */
  reset(kind: string, key: string): Promise<void>;
}

/**
 * Counts only failures (a restaurant's staff share one IP: their successful sign-ins must not lock each other
 * out), on the shared sliding-window limiter, and marks a key locked in the cache once its failures reach the
 * limit, until the oldest failure leaves the window. Upstash Redis when configured, memory otherwise; while
 * Redis fails the limit is kept per process (abuse guard): the lock is also written to a process-local cache,
 * because the shared cache silently drops writes while Redis is down (found by the scale test's outage).
 */
export function createAttemptLimiter(
  name: string,
  rules: Record<string, AttemptLimitRule>,
  options: { redis?: Redis | null; cache?: Cache } = {},
): AttemptLimiter {
  const limiters = new Map<string, RateLimiter>();
  for (const [kind, rule] of Object.entries(rules)) {
    limiters.set(
      kind,
      createRateLimiter({ prefix: `${name}:${kind}`, limit: rule.limit, windowSeconds: rule.windowSeconds, redis: options.redis, whenRedisFails: "memory" }),
    );
  }
  const cache = () => options.cache ?? getCache();
  const local = new MemoryCache();
  const lockKey = (kind: string, key: string) => `lock:${name}:${kind}:${key}`;
  const present = (keys: Record<string, string | null>) =>
    Object.entries(keys).filter((e): e is [string, string] => !!e[1] && limiters.has(e[0]));

  return {
    async retryAfter(keys) {
      const now = Date.now();
      const until = await Promise.all(present(keys).flatMap(([kind, key]) => [cache().get<number>(lockKey(kind, key)), local.get<number>(lockKey(kind, key))]));
      const latest = Math.max(0, ...until.map((u) => (typeof u === "number" ? u : 0)));
      return latest > now ? Math.ceil((latest - now) / 1000) : 0;
    },
    async fail(keys) {
      const waits = await Promise.all(
        present(keys).map(async ([kind, key]) => {
          const limiter = limiters.get(kind)!;
          let result = await limiter.limit(key);
          // The failure that used the last allowance locks the key: one more (refused, not counted) check tells
          // how long until the oldest failure leaves the window.
          if (result.success && result.remaining === 0) result = await limiter.limit(key);
          if (result.success) return 0;
          const until = Date.now() + result.retryAfterSeconds * 1000;
          await Promise.all([cache().set(lockKey(kind, key), until, result.retryAfterSeconds), local.set(lockKey(kind, key), until, result.retryAfterSeconds)]);
          return result.retryAfterSeconds;
        }),
      );
      return Math.max(0, ...waits);
    },
    async reset(kind, key) {
      await limiters.get(kind)?.reset(key);
      await Promise.all([cache().del(lockKey(kind, key)), local.del(lockKey(kind, key))]);
    },
  };
}
