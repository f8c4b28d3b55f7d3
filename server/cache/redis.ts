import type { Redis } from "@upstash/redis";
import { createGetOrSet, type Cache } from "@/server/cache/types";
import { log, rateLimitedWarn, type Logger } from "@/server/observability/log";

export interface RedisCacheOptions {
  /** Per-operation budget; past it the operation counts as failed (get → miss, set/del → no-op). */
  timeoutMs?: number;
  /** After a failure, skip Redis for this long so every request doesn't pay the timeout again. */
  cooldownMs?: number;
  /** Namespace for keys, so the cache can share a Redis database with rate limits and locks. */
  prefix?: string;
  logger?: Logger;
}

class Timeout extends Error {
  constructor(ms: number) {
    super(`Redis cache operation timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** Values are wrapped so a string that looks like JSON comes back as the same string, whatever the client's deserialisation setting. */
interface Envelope {
  v: unknown;
}

function unwrap(raw: unknown): unknown {
  const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (parsed && typeof parsed === "object" && "v" in parsed) return (parsed as Envelope).v;
  return undefined;
}

/**
 * Upstash-backed cache. It is only an optimisation: every Redis failure or slow answer degrades to
 * "no cache" silently for the caller, with a rate-limited warning in the logs.
 */
export class RedisCache implements Cache {
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly prefix: string;
  private readonly warn: ReturnType<typeof rateLimitedWarn>;
  private downUntil = 0;
  readonly getOrSet: Cache["getOrSet"];

  constructor(
    private readonly redis: Redis,
    options: RedisCacheOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 150;
    this.cooldownMs = options.cooldownMs ?? 5_000;
    this.prefix = options.prefix ?? "cache:";
    this.warn = rateLimitedWarn((options.logger ?? log).child({ module: "cache" }));
    this.getOrSet = createGetOrSet(this);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.attempt("get", () => this.redis.get<unknown>(this.prefix + key));
    if (raw === undefined || raw === null) return undefined;
    try {
      return unwrap(raw) as T | undefined;
    } catch {
      return undefined; // foreign or corrupt value: treat as a miss
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (value === undefined || !(ttlSeconds > 0)) return this.del(key);
    const payload = JSON.stringify({ v: value } satisfies Envelope);
    const ex = Math.max(1, Math.ceil(ttlSeconds));
    await this.attempt("set", () => this.redis.set(this.prefix + key, payload, { ex }));
  }

  async del(key: string): Promise<void> {
    await this.attempt("del", () => this.redis.del(this.prefix + key));
  }

  /** Runs one Redis call within the time budget; undefined on any failure. */
  private async attempt<R>(op: string, call: () => Promise<R>): Promise<R | undefined> {
    if (Date.now() < this.downUntil) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(this.timeoutMs)), this.timeoutMs);
    });
    const work = call();
    // The losing promise may still reject later; don't let that become an unhandled rejection.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, deadline]);
    } catch (err) {
      this.downUntil = Date.now() + this.cooldownMs;
      this.warn("Redis cache unavailable; continuing without cache", { op, err });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
