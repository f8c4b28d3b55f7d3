import { getRedis } from "@/server/redis/client";
import { MemoryCache } from "@/server/cache/memory";
import { RedisCache } from "@/server/cache/redis";
import type { Cache } from "@/server/cache/types";

export type { Cache } from "@/server/cache/types";
export { MemoryCache, type MemoryCacheOptions } from "@/server/cache/memory";
export { RedisCache, type RedisCacheOptions } from "@/server/cache/redis";

let instance: Cache | undefined;

/** Upstash Redis when configured (shared by all instances), otherwise an in-process cache. */
export function getCache(): Cache {
  if (!instance) {
    const redis = getRedis();
    instance = redis ? new RedisCache(redis) : new MemoryCache();
  }
  return instance;
}

export function resetCacheForTests(): void {
  instance = undefined;
}
