import { Redis } from "@upstash/redis";
import { env } from "@/server/env";

let client: Redis | null | undefined;

/** Upstash Redis when configured, otherwise null (callers fall back to memory). */
export function getRedis(): Redis | null {
  if (client !== undefined) return client;
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env();
  client = url && token ? new Redis({ url, token, retry: { retries: 1, backoff: () => 50 } }) : null;
  return client;
}

export function resetRedisForTests(): void {
  client = undefined;
}
