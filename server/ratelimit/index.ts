import type { Redis } from "@upstash/redis";
import { getRedis } from "@/server/redis/client";
import type { Logger } from "@/server/observability/log";
import { createMemoryRateLimiter } from "@/server/ratelimit/memory";
import { createUpstashRateLimiter } from "@/server/ratelimit/upstash";
import type { RateLimiter } from "@/server/ratelimit/types";

export type { RateLimiter, RateLimitResult } from "@/server/ratelimit/types";
export { createMemoryRateLimiter, resetMemoryRateLimitsForTests } from "@/server/ratelimit/memory";

export interface RateLimiterOptions {
  /** Namespace of the counter, e.g. "login:ip" or "poster:account"; limiters with one prefix share counts. */
  prefix: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
  /** Defaults to getRedis(); null forces the in-memory limiter. */
  redis?: Redis | null;
  timeoutMs?: number;
  cooldownMs?: number;
  /**
   * While Redis fails: "open" allows every request (default, the limiter never takes the app down);
   * "memory" applies the same limit per process, for limits that guard against abuse (logins).
   */
  whenRedisFails?: "open" | "memory";
  logger?: Logger;
}

/** Sliding-window limiter: Upstash Redis when configured (shared by all instances), in-memory otherwise. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { prefix, limit, windowSeconds } = options;
  if (!prefix) throw new Error("createRateLimiter: prefix is required");
  if (!Number.isInteger(limit) || limit < 1) throw new Error("createRateLimiter: limit must be a positive integer");
  if (!(windowSeconds > 0)) throw new Error("createRateLimiter: windowSeconds must be positive");

  const redis = options.redis === undefined ? getRedis() : options.redis;
  if (!redis) return createMemoryRateLimiter({ prefix, limit, windowSeconds });

  let memory: RateLimiter | undefined;
  return createUpstashRateLimiter({
    prefix,
    limit,
    windowSeconds,
    redis,
    timeoutMs: options.timeoutMs,
    cooldownMs: options.cooldownMs,
    logger: options.logger,
    onRedisError: () =>
      options.whenRedisFails === "memory" ? (memory ??= createMemoryRateLimiter({ prefix: `fallback:${prefix}`, limit, windowSeconds })) : null,
  });
}
