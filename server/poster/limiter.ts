import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { env } from "@/server/env";
import { getRedis } from "@/server/redis/client";

/**
 * Per-Poster-account request limiting: at most `limit` requests per `windowMs`, at most `maxConcurrent` in
 * flight, and consecutive calls started at least `minIntervalMs` apart (about 5 per second by default). Poster
 * documents no rate limit; live users advise staying under ~5 req/s, and one restaurant's sync must not starve
 * the others.
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
  /**
   * Least time between the starts of two calls to one account, shared by every instance. Default 250 ms
   * (5 calls per second with headroom for late arrivals, minIntervalForRate; POSTER_CALLS_PER_SECOND for the app's limiter).
   * 0 turns spacing off.
   */
  minIntervalMs?: number;
}

type Resolved = Required<PosterLimiterOptions>;

/**
 * How much later than its neighbours a call may reach Poster without breaking its per-second limit: a call leaves
 * some time after its start was granted (Redis's answer across instances, a busy event loop in one). The scale load
 * (120 syncs and 20 users on two shared cores) delayed calls by more than the 50 ms of a 5% margin: 5 answers 429 in
 * 1,148 calls (docs/scaling.md).
 */
export const ARRIVAL_JITTER_MS = 250;

/**
 * The spacing for `callsPerSecond`: `callsPerSecond` intervals span one second plus ARRIVAL_JITTER_MS, so no
 * second holds more than `callsPerSecond` arrivals while any one call is late by less than that (250 ms at 5 calls
 * per second, 4 calls per second sustained).
 */
export function minIntervalForRate(callsPerSecond: number): number {
  return Math.ceil((1000 + ARRIVAL_JITTER_MS) / callsPerSecond);
}

/** 5 calls per second per account, as live users of Poster advise. */
export const DEFAULT_MIN_INTERVAL_MS = minIntervalForRate(5);

function resolve(o: PosterLimiterOptions): Resolved {
  const windowMs = o.windowMs ?? 60_000;
  return {
    maxConcurrent: o.maxConcurrent ?? 5,
    limit: o.limit ?? 100,
    windowMs,
    edgeGuardMs: o.edgeGuardMs ?? Math.min(250, Math.floor(windowMs / 20)),
    leaseMs: o.leaseMs ?? 60_000,
    prefix: o.prefix ?? "poster:limit",
    minIntervalMs: Math.max(0, o.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS),
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

/**
 * Calls started at least `interval` apart, in arrival order: each waits for the previous one's actual start
 * (not a slot reserved in advance), and the start is recorded in the same tick that calls `fn`, so nothing
 * queued in between can bunch two calls up.
 */
class Spacer {
  private last = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly interval: number) {}
  get idle(): boolean { return this.last + this.interval <= Date.now(); }
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.interval === 0) return fn();
    const gate = this.chain.then(async () => {
      while (Date.now() < this.last + this.interval) await sleep(this.last + this.interval - Date.now());
    });
    // The next caller waits for this gate, then for `last`: registered after this reaction, it runs after it.
    this.chain = gate;
    return gate.then(() => {
      this.last = Date.now();
      return fn();
    });
  }
}

/** Single-process limiter (no Redis configured, or Redis failing). */
export class MemoryPosterLimiter implements PosterLimiter {
  private readonly o: Resolved;
  private readonly accounts = new Map<string, { slots: Semaphore; rate: SlidingLog; spacing: Spacer }>();

  constructor(options: PosterLimiterOptions = {}) {
    this.o = resolve(options);
  }

  private state(key: string) {
    let s = this.accounts.get(key);
    if (!s) {
      s = { slots: new Semaphore(this.o.maxConcurrent), rate: new SlidingLog(this.o), spacing: new Spacer(this.o.minIntervalMs) };
      this.accounts.set(key, s);
    }
    return s;
  }

  /** Rate token only (used by the Redis limiter when Redis fails mid-way). */
  takeRateToken(key: string): Promise<void> {
    return this.state(key).rate.take();
  }

  /** Spacing only (used by the Redis limiter when Redis fails mid-way). */
  spaced<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.state(key).spacing.run(fn);
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const s = this.state(key);
    await s.slots.acquire();
    try {
      await s.rate.take();
      // Last, right before the call: the recorded start is when the request leaves.
      return await s.spacing.run(fn);
    } finally {
      s.slots.release();
      // Forget idle accounts so 100+ tenants do not accumulate state forever.
      if (s.slots.idle && s.rate.idle && s.spacing.idle) this.accounts.delete(key);
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
 * A start for one of an account's calls, granted on Redis's own clock (instances' clocks may differ) once the
 * previous grant is `interval` old: 0 means "go now" (and records it), otherwise how many ms to wait before
 * asking again. The key expires once the account has been quiet for a while.
 */
const GRANT_START = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < nxt then return nxt - now end
redis.call('SET', KEYS[1], tostring(now + tonumber(ARGV[1])), 'PX', tonumber(ARGV[1]) + 60000)
return 0
`;

/**
 * Limiter shared by every app instance through Redis: @upstash/ratelimit (sliding window) for the
 * rate, a sorted-set semaphore with expiring leases for the concurrency cap, a reserved next start time for
 * the spacing. If Redis fails, the call goes through the in-memory limiter instead of failing: limiting is
 * protection, not a gate.
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

  private async waitForTurn(key: string): Promise<void> {
    if (this.o.minIntervalMs === 0) return;
    for (;;) {
      const wait = Number(await this.redis.eval<string[], number>(GRANT_START, [`${this.o.prefix}:next:${key}`], [String(this.o.minIntervalMs)]));
      if (wait <= 0) return;
      // Several instances may be waiting: a little jitter keeps them from asking at the same instant.
      await sleep(wait + Math.random() * 5);
    }
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
      let granted = true;
      try {
        await this.waitForTurn(key);
      } catch {
        granted = false;
      }
      return await (granted ? fn() : this.fallback.spaced(key, fn));
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
/** The process-wide limiter every client uses unless given one: spaced by POSTER_CALLS_PER_SECOND. */
export function getDefaultPosterLimiter(): PosterLimiter {
  defaultLimiter ??= createPosterLimiter({ minIntervalMs: minIntervalForRate(env().POSTER_CALLS_PER_SECOND) });
  return defaultLimiter;
}
