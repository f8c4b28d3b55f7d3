import type { Redis } from "@upstash/redis";
import { createGetOrSet, INVALIDATION_HOLD_SECONDS, type Cache } from "@/server/cache/types";
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

/** What an invalidation leaves under the key while it holds off fills (not an Envelope: reads miss). */
const TOMBSTONE = JSON.stringify({ invalidated: true });

function unwrap(raw: unknown): unknown {
  const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (parsed && typeof parsed === "object" && "v" in parsed) return (parsed as Envelope).v;
  return undefined;
}

function decode(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  try {
    return unwrap(raw);
  } catch {
    return undefined; // foreign or corrupt value: treat as a miss
  }
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
  private readonly logger: Logger;
  private downUntil = 0;
  private broken = false;
  /** Full key → hold seconds of invalidations Redis did not take. */
  private readonly pending = new Map<string, number>();
  readonly getOrSet: Cache["getOrSet"];

  constructor(
    private readonly redis: Redis,
    options: RedisCacheOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 150;
    this.cooldownMs = options.cooldownMs ?? 5_000;
    this.prefix = options.prefix ?? "cache:";
    this.logger = (options.logger ?? log).child({ module: "cache" });
    this.warn = rateLimitedWarn(this.logger);
    this.getOrSet = createGetOrSet(this);
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!(await this.flushPending())) return undefined;
    return decode(await this.value("get", () => this.redis.get<unknown>(this.prefix + key))) as T | undefined;
  }

  async getMany<T>(keys: string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    if (!(await this.flushPending())) return keys.map(() => undefined);
    const raw = await this.value("mget", () => this.redis.mget<unknown[]>(...keys.map((k) => this.prefix + k)));
    return keys.map((_, i) => decode(raw?.[i]) as T | undefined);
  }

  async fill<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (value === undefined || !(ttlSeconds > 0)) return;
    const payload = JSON.stringify({ v: value } satisfies Envelope);
    await this.attempt("fill", () => this.redis.set(this.prefix + key, payload, { ex: Math.max(1, Math.ceil(ttlSeconds)), nx: true }));
  }

  async invalidate(key: string, holdSeconds = INVALIDATION_HOLD_SECONDS): Promise<void> {
    const ex = Math.max(1, Math.ceil(holdSeconds));
    const done = await this.attempt("invalidate", () => this.redis.set(this.prefix + key, TOMBSTONE, { ex }));
    // Redis unreachable: the stale value is still there. Nothing is read from Redis again until it is removed.
    if (!done.ok) this.pending.set(key, ex);
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

  /** Invalidations that failed while Redis was away, replayed before the first read; false while any is left. */
  private async flushPending(): Promise<boolean> {
    for (const [key, ex] of this.pending) {
      const done = await this.attempt("invalidate", () => this.redis.set(this.prefix + key, TOMBSTONE, { ex }));
      if (!done.ok) return false;
      this.pending.delete(key);
    }
    return true;
  }

  private async value<R>(op: string, call: () => Promise<R>): Promise<R | undefined> {
    const result = await this.attempt(op, call);
    return result.ok ? result.value : undefined;
  }

  /**
   * Runs one Redis call within the time budget. A failure opens the breaker: Redis is skipped for the cooldown
   * (callers read Postgres), warned about once (rate-limited), and the first success after it says so.
   */
  private async attempt<R>(op: string, call: () => Promise<R>): Promise<{ ok: true; value: R } | { ok: false }> {
    if (Date.now() < this.downUntil) return { ok: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(this.timeoutMs)), this.timeoutMs);
    });
    const work = call();
    // The losing promise may still reject later; don't let that become an unhandled rejection.
    work.catch(() => undefined);
    try {
      const value = await Promise.race([work, deadline]);
      if (this.broken) {
        this.broken = false;
        this.logger.info("Redis cache reachable again");
      }
      return { ok: true, value };
    } catch (err) {
      this.downUntil = Date.now() + this.cooldownMs;
      this.broken = true;
      this.warn("Redis cache unavailable; continuing without cache", { op, err });
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }
}
