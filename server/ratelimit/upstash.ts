import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitResult } from "@/server/ratelimit/types";
import { safeKey } from "@/server/ratelimit/types";
import { log, rateLimitedWarn, type Logger } from "@/server/observability/log";

export interface UpstashRateLimiterOptions {
  prefix: string;
  limit: number;
  windowSeconds: number;
  redis: Redis;
  /** Budget for one check; past it the request is allowed (fail-open). */
  timeoutMs?: number;
  /** After a failure, skip Redis for this long instead of paying the timeout on every request. */
  cooldownMs?: number;
  /** What to answer while Redis is failing: allow everything, or a per-process limiter. */
  onRedisError: () => RateLimiter | null;
  logger?: Logger;
}

/**
 * Sliding window shared by every instance (Upstash's two-bucket approximation). A rate limiter must
 * not take the app down with Redis, so errors and timeouts fail open with a rate-limited warning.
 */
export function createUpstashRateLimiter(options: UpstashRateLimiterOptions): RateLimiter {
  const { prefix, limit, windowSeconds, redis } = options;
  const cooldownMs = options.cooldownMs ?? 5_000;
  const warn = rateLimitedWarn((options.logger ?? log).child({ module: "ratelimit", prefix }));
  const ratelimit = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: `rl:${prefix}`,
    analytics: false,
    timeout: options.timeoutMs ?? 500,
  });
  let downUntil = 0;

  const degraded = async (key: string, reason: string, err?: unknown): Promise<RateLimitResult> => {
    downUntil = Date.now() + cooldownMs;
    warn("Rate limiter cannot reach Redis; not enforcing the shared limit", { reason, err });
    return failOpen(key);
  };
  const failOpen = async (key: string): Promise<RateLimitResult> => {
    const fallback = options.onRedisError();
    return fallback ? fallback.limit(key) : { success: true, remaining: limit, retryAfterSeconds: 0, limit };
  };

  return {
    async limit(rawKey) {
      if (Date.now() < downUntil) return failOpen(rawKey);
      const key = safeKey(rawKey);
      try {
        const res = await ratelimit.limit(key);
        // Ratelimit answers success with reason "timeout" when Redis didn't answer in time.
        if (res.reason === "timeout") return degraded(rawKey, "timeout");
        const retryAfterSeconds = res.success ? 0 : Math.max(1, Math.ceil((res.reset - Date.now()) / 1000));
        return { success: res.success, remaining: Math.max(0, res.remaining), retryAfterSeconds, limit: res.limit };
      } catch (err) {
        return degraded(rawKey, "error", err);
      }
    },
    async reset(rawKey) {
      try {
        await ratelimit.resetUsedTokens(safeKey(rawKey));
      } catch (err) {
        warn("Rate limiter reset failed", { err });
      }
      await options.onRedisError()?.reset(rawKey);
    },
  };
}
