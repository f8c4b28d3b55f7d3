import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryRateLimiter, createRateLimiter, type RateLimiter } from "@/server/ratelimit";
import { createLogger } from "@/server/observability/log";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";

const run = randomUUID().slice(0, 8);
let seq = 0;
const uniquePrefix = () => `test-${run}-${++seq}`;

async function exhaust(limiter: RateLimiter, key: string, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await limiter.limit(key));
  return results;
}

describe("in-memory sliding window", () => {
  it("allows up to the limit, blocks after, with an exact retryAfter", async () => {
    let now = 1_000_000;
    const rl = createMemoryRateLimiter({ prefix: uniquePrefix(), limit: 3, windowSeconds: 60, now: () => now });
    const first = await rl.limit("ip-1");
    expect(first).toEqual({ success: true, remaining: 2, retryAfterSeconds: 0, limit: 3 });
    now += 10_000;
    await rl.limit("ip-1");
    now += 10_000;
    expect((await rl.limit("ip-1")).remaining).toBe(0);
    const blocked = await rl.limit("ip-1");
    expect(blocked).toEqual({ success: false, remaining: 0, retryAfterSeconds: 40, limit: 3 });
    // The window slides: once the first request is 60 s old, one more is allowed.
    now += 40_000;
    expect((await rl.limit("ip-1")).success).toBe(true);
    expect((await rl.limit("ip-1")).success).toBe(false);
  });

  it("keeps keys independent and resets one key", async () => {
    const rl = createMemoryRateLimiter({ prefix: uniquePrefix(), limit: 2, windowSeconds: 60 });
    await exhaust(rl, "a", 2);
    expect((await rl.limit("a")).success).toBe(false);
    expect((await rl.limit("b")).success).toBe(true);
    await rl.reset("a");
    expect((await rl.limit("a")).success).toBe(true);
    expect((await rl.limit("b")).success).toBe(true);
    expect((await rl.limit("b")).success).toBe(false);
  });

  it("limiters with the same prefix share counts; glob characters in keys are harmless", async () => {
    const prefix = uniquePrefix();
    const a = createMemoryRateLimiter({ prefix, limit: 2, windowSeconds: 60 });
    const b = createMemoryRateLimiter({ prefix, limit: 2, windowSeconds: 60 });
    await a.limit("user*");
    await b.limit("user*");
    expect((await a.limit("user*")).success).toBe(false);
    expect((await a.limit("user1")).success).toBe(true);
  });

  it("createRateLimiter uses memory without Redis and validates options", async () => {
    const rl = createRateLimiter({ prefix: uniquePrefix(), limit: 1, windowSeconds: 10, redis: null });
    expect((await rl.limit("k")).success).toBe(true);
    const blocked = await rl.limit("k");
    expect(blocked.success).toBe(false);
    expect(blocked.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(() => createRateLimiter({ prefix: "x", limit: 0, windowSeconds: 10, redis: null })).toThrow(/limit/);
    expect(() => createRateLimiter({ prefix: "x", limit: 1, windowSeconds: 0, redis: null })).toThrow(/windowSeconds/);
    expect(() => createRateLimiter({ prefix: "", limit: 1, windowSeconds: 1, redis: null })).toThrow(/prefix/);
  });
});

/**
 * Upstash's sliding window weighs the previous fixed window; a test that straddles a window boundary
 * sees the weight drop by one. Start right after a boundary when close to one.
 */
async function awayFromBoundary(windowSeconds: number, marginMs = 3_000) {
  const windowMs = windowSeconds * 1000;
  const into = Date.now() % windowMs;
  if (into > windowMs - marginMs) await new Promise((r) => setTimeout(r, windowMs - into + 20));
}

describe("Upstash sliding window through the bridge", () => {
  let bridge: UpstashBridge;
  let redis: Redis;
  beforeAll(async () => {
    bridge = await startUpstashBridge();
    redis = new Redis({ url: bridge.url, token: bridge.token });
  });
  afterAll(async () => {
    const keys = await bridge.redis.keys(`rl:test-${run}-*`);
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });

  const make = (limit: number, windowSeconds: number, prefix = uniquePrefix()) =>
    createRateLimiter({ prefix, limit, windowSeconds, redis, timeoutMs: 5_000 });

  it("allows up to the limit and blocks after, with a sensible retryAfter", async () => {
    await awayFromBoundary(60);
    const rl = make(3, 60);
    const ok = await exhaust(rl, "ip-1", 3);
    expect(ok.map((r) => r.success)).toEqual([true, true, true]);
    expect(ok.map((r) => r.remaining)).toEqual([2, 1, 0]);
    const blocked = await rl.limit("ip-1");
    expect(blocked.success).toBe(false);
    expect(blocked.remaining).toBe(0);
    expect(blocked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await bridge.redis.keys(`rl:${"*"}ip-1*`)).not.toHaveLength(0);
  });

  it("keeps keys independent and reset clears a key", async () => {
    await awayFromBoundary(60);
    const rl = make(2, 60);
    await exhaust(rl, "a", 2);
    expect((await rl.limit("a")).success).toBe(false);
    expect((await rl.limit("b")).success).toBe(true);
    await rl.reset("a");
    expect((await rl.limit("a")).success).toBe(true);
    expect((await rl.limit("b")).success).toBe(true);
    expect((await rl.limit("b")).success).toBe(false);
  });

  it("is shared by every limiter (instance) with the same prefix", async () => {
    await awayFromBoundary(60);
    const prefix = uniquePrefix();
    const one = make(2, 60, prefix);
    const two = createRateLimiter({ prefix, limit: 2, windowSeconds: 60, redis: new Redis({ url: bridge.url, token: bridge.token }) });
    expect((await one.limit("acct")).success).toBe(true);
    expect((await two.limit("acct")).success).toBe(true);
    expect((await one.limit("acct")).success).toBe(false);
    expect((await two.limit("acct")).success).toBe(false);
  });

  it("lets requests through again after the window", async () => {
    await awayFromBoundary(1, 300);
    const rl = make(1, 1);
    expect((await rl.limit("k")).success).toBe(true);
    const blocked = await rl.limit("k");
    expect(blocked.success).toBe(false);
    expect(blocked.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await rl.limit("k")).success).toBe(true);
  });
});

describe("Upstash limiter when Redis fails", () => {
  let hanging: Server;
  let hangingUrl: string;
  let closedUrl: string;
  beforeAll(async () => {
    hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
  });

  function capture() {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level: "warn", sink: (l) => lines.push(l) }) };
  }

  it("fails open with one warning when Redis refuses connections", async () => {
    const { lines, logger } = capture();
    const rl = createRateLimiter({
      prefix: uniquePrefix(),
      limit: 1,
      windowSeconds: 60,
      redis: new Redis({ url: closedUrl, token: "t", retry: false }),
      logger,
    });
    const results = await exhaust(rl, "k", 5);
    expect(results.every((r) => r.success)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("cannot reach Redis");
    await expect(rl.reset("k")).resolves.toBeUndefined();
  });

  it("fails open quickly when Redis hangs", async () => {
    const { lines, logger } = capture();
    const rl = createRateLimiter({
      prefix: uniquePrefix(),
      limit: 1,
      windowSeconds: 60,
      redis: new Redis({ url: hangingUrl, token: "t", retry: false }),
      timeoutMs: 100,
      logger,
    });
    const start = performance.now();
    const results = await exhaust(rl, "k", 10);
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(results.every((r) => r.success)).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it("whenRedisFails: 'memory' still limits per process", async () => {
    const { logger } = capture();
    const rl = createRateLimiter({
      prefix: uniquePrefix(),
      limit: 2,
      windowSeconds: 60,
      redis: new Redis({ url: closedUrl, token: "t", retry: false }),
      whenRedisFails: "memory",
      logger,
    });
    const results = await exhaust(rl, "k", 3);
    expect(results.map((r) => r.success)).toEqual([true, true, false]);
    await rl.reset("k");
    expect((await rl.limit("k")).success).toBe(true);
  });
});
