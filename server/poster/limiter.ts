import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { getRedis } from "@/server/redis/client";

/**
 * Per-Poster-account request limiting: at most `limit` requests per `windowMs` and at most
 * `maxConcurrent` in flight. Poster documents no rate limit; live users advise staying well under
 * ~5 req/s, and one restaurant's sync must not starve the others.
 */
export interface PosterLimiter {
  run<T>(accountKey: string, fn: () => Promise<T>): Promise<T>;
}

export interface PosterLimiterOptions {
  /** Default 5. */
  maxConcurrent?: number;
  /** Requests per window. Default 100. */
  limit?: number;
  /** Default 60,000 (one minute). */
  windowMs?: number;
  /**
   * Slack kept at window edges, so that the time a request reaches Poster (a few ms after the
   * grant) still falls inside the window that counted it. Default min(250, windowMs / 20).
   */
  edgeGuardMs?: number;
  /** Redis only: how long a concurrency lease lives if its holder dies. Default 60 s. */
  leaseMs?: number;
  /** Redis key prefix. Default "poster:limit". */
  prefix?: string;
}

type Resolved = Required<PosterLimiterOptions>;

function resolve(o: PosterLimiterOptions): Resolved {
  const windowMs = o.windowMs ?? 60_000;
  return {
    maxConcurrent: o.maxConcurrent ?? 5,
    limit: o.limit ?? 100,
    windowMs,
    edgeGuardMs: o.edgeGuardMs ?? Math.min(250, Math.floor(windowMs / 20)),
    leaseMs: o.leaseMs ?? 60_000,
    prefix: o.prefix ?? "poster:limit",
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** FIFO counting semaphore. */
class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly max: number) {}
  get idle(): boolean { return this.active === 0 && this.waiters.length === 0; }
  async acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return;
    }
    // The releasing holder hands its slot over directly, so `active` stays unchanged.
    await new Promise<void>((r) => this.waiters.push(r));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

/**
 * Exact sliding log: a grant happens only when fewer than `limit` grants fall in the last
 * `windowMs + edgeGuardMs`. Grants are serialized per account so waiters are served in order.
 */
class SlidingLog {
  private readonly grants: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly o: Resolved) {}
  get idle(): boolean { return this.grants.length === 0 || (this.grants.at(-1) as number) + this.o.windowMs + this.o.edgeGuardMs <= Date.now(); }
  take(): Promise<void> {
    const turn = this.chain.then(() => this.takeNow());
    this.chain = turn.catch(() => undefined);
    return turn;
  }
  private async takeNow(): Promise<void> {
    const span = this.o.windowMs + this.o.edgeGuardMs;
    for (;;) {
      const now = Date.now();
      while (this.grants.length > 0 && (this.grants[0] as number) + span <= now) this.grants.shift();
      if (this.grants.length < this.o.limit) {
        this.grants.push(now);
        return;
      }
      await sleep((this.grants[0] as number) + span - now);
    }
  }
}

/** Single-process limiter (no Redis configured, or Redis failing). */
export class MemoryPosterLimiter implements PosterLimiter {
  private readonly o: Resolved;
  private readonly accounts = new Map<string, { slots: Semaphore; rate: SlidingLog }>();

  constructor(options: PosterLimiterOptions = {}) {
    this.o = resolve(options);
  }

  private state(key: string) {
    let s = this.accounts.get(key);
    if (!s) {
      s = { slots: new Semaphore(this.o.maxConcurrent), rate: new SlidingLog(this.o) };
      this.accounts.set(key, s);
    }
    return s;
  }

  /** Rate token only (used by the Redis limiter when Redis fails mid-way). */
  takeRateToken(key: string): Promise<void> {
    return this.state(key).rate.take();
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const s = this.state(key);
    await s.slots.acquire();
    try {
      await s.rate.take();
      return await fn();
    } finally {
      s.slots.release();
      // Forget idle accounts so 100+ tenants do not accumulate state forever.
      if (s.slots.idle && s.rate.idle) this.accounts.delete(key);
    }
  }
}

/** Sorted set of leases scored by expiry; expired leases (crashed holders) are swept on every acquire. */
const ACQUIRE_LEASE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/**
 * Limiter shared by every app instance through Redis: @upstash/ratelimit (sliding window) for the
 * rate, a sorted-set semaphore with expiring leases for the concurrency cap. If Redis fails, the
 * call goes through the in-memory limiter instead of failing: limiting is protection, not a gate.
 */
export class RedisPosterLimiter implements PosterLimiter {
  private readonly o: Resolved;
  private readonly ratelimit: Ratelimit;
  private readonly fallback: MemoryPosterLimiter;

  constructor(private readonly redis: Redis, options: PosterLimiterOptions = {}) {
    this.o = resolve(options);
    this.fallback = new MemoryPosterLimiter(options);
    this.ratelimit = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(this.o.limit, `${this.o.windowMs} ms`),
      prefix: `${this.o.prefix}:rate`,
      analytics: false,
      ephemeralCache: false,
      timeout: 2_000,
    });
  }

  private slotKey(key: string): string {
    return `${this.o.prefix}:slots:${key}`;
  }

  private async acquireSlot(key: string): Promise<string> {
    const lease = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    for (;;) {
      const ok = await this.redis.eval<string[], number>(ACQUIRE_LEASE, [this.slotKey(key)], [
        String(Date.now()), String(this.o.leaseMs), String(this.o.maxConcurrent), lease,
      ]);
      if (Number(ok) === 1) return lease;
      await sleep(10 + Math.random() * 30);
    }
  }

  private async takeRateToken(key: string): Promise<void> {
    const { windowMs, limit, edgeGuardMs } = this.o;
    for (;;) {
      // Upstash windows are aligned to the epoch; never take a token right before one closes.
      const toEdge = windowMs - (Date.now() % windowMs);
      if (toEdge <= edgeGuardMs) {
        await sleep(toEdge + 1);
        continue;
      }
      const before = Date.now();
      const r = await this.ratelimit.limit(key);
      if (r.success) {
        // The token was counted in the window of `before`. If Redis answered after that window
        // closed, the request would land uncounted in the next one: take a token there too.
        if (Math.floor(Date.now() / windowMs) === Math.floor(before / windowMs)) return;
        continue;
      }
      const wait = Math.max(5, Math.min(r.reset - Date.now(), Math.ceil(windowMs / limit)));
      await sleep(wait + Math.random() * wait * 0.25);
    }
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lease: string;
    try {
      lease = await this.acquireSlot(key);
    } catch {
      return this.fallback.run(key, fn);
    }
    try {
      try {
        await this.takeRateToken(key);
      } catch {
        await this.fallback.takeRateToken(key);
      }
      return await fn();
    } finally {
      await this.redis.zrem(this.slotKey(key), lease).catch(() => undefined);
    }
  }
}

/** Redis-backed when a client is given (or configured), in-memory otherwise. */
export function createPosterLimiter(options: PosterLimiterOptions & { redis?: Redis | null } = {}): PosterLimiter {
  const { redis = getRedis(), ...rest } = options;
  return redis ? new RedisPosterLimiter(redis, rest) : new MemoryPosterLimiter(rest);
}

let defaultLimiter: PosterLimiter | undefined;
/** The process-wide limiter every client uses unless given one. */
export function getDefaultPosterLimiter(): PosterLimiter {
  defaultLimiter ??= createPosterLimiter();
  return defaultLimiter;
}
