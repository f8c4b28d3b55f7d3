import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MIN_INTERVAL_MS, MemoryPosterLimiter, RedisPosterLimiter, createPosterLimiter, minIntervalForRate, type PosterLimiter } from "@/server/poster/limiter";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";
import { CAFE, clientFor, maxInAlignedWindow, maxInSlidingWindow, newSim, noLimiter } from "./support";

const LIMIT = 10;
const WINDOW = 1000;
const CAP = 5;
/**
 * The start is recorded right before the request is built, but a loaded machine may pause the process in between:
 * a gap seen by the simulator can read a few ms short of the interval.
 */
const JITTER_MS = 15;

/** The smallest distance between two consecutive request times. */
function minGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, (sorted[i] as number) - (sorted[i - 1] as number));
  return gap;
}

/** 20 concurrent callers for one account, spread over several client instances (app instances). */
async function burst(limiters: PosterLimiter[], callers = 20) {
  const sim = newSim();
  // Latency makes concurrency observable: without a cap, all 20 would be in flight at once.
  sim.setFaults(CAFE.login, { latencyMs: 40 });
  const clients = limiters.map((limiter) => clientFor(sim, { limiter }));
  const results = await Promise.all(
    Array.from({ length: callers }, (_, i) => (clients[i % clients.length] as (typeof clients)[number]).getStorages()),
  );
  const log = sim.requestLog(CAFE.login);
  return { results, times: log.map((r) => r.at), statuses: log.map((r) => r.httpStatus), maxInFlight: sim.account(CAFE.login).maxInFlight };
}

describe("limit checks", () => {
  it("detect a burst when nothing limits it (so the limiter tests below can fail)", async () => {
    const { times, maxInFlight } = await burst([noLimiter]);
    expect(maxInSlidingWindow(times, WINDOW)).toBe(20);
    expect(maxInAlignedWindow(times, WINDOW)).toBeGreaterThan(LIMIT);
    expect(maxInFlight).toBeGreaterThan(CAP);
    expect(minGap(times)).toBeLessThan(10);
  });
});

describe("MemoryPosterLimiter", () => {
  it("never exceeds the rate in any sliding window nor the concurrency cap, with 20 concurrent callers", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: CAP, limit: LIMIT, windowMs: WINDOW, minIntervalMs: 0 });
    const started = Date.now();
    const { results, times, statuses, maxInFlight } = await burst([limiter, limiter]);
    expect(results).toHaveLength(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(maxInSlidingWindow(times, WINDOW)).toBeLessThanOrEqual(LIMIT);
    expect(maxInFlight).toBeLessThanOrEqual(CAP);
    expect(maxInFlight).toBeGreaterThan(1); // it is a cap, not a serializer
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW);
  });

  it("keeps accounts independent", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: 1, limit: 1, windowMs: 60_000 });
    const started = Date.now();
    await Promise.all([limiter.run("a", async () => 1), limiter.run("b", async () => 2)]);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("spaces one account's calls about 5 per second by default, whatever the per-minute budget allows", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: CAP, limit: 100, windowMs: 60_000 });
    const { times, statuses } = await burst([limiter, limiter], 12);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(DEFAULT_MIN_INTERVAL_MS).toBe(250);
    expect(minGap(times)).toBeGreaterThanOrEqual(DEFAULT_MIN_INTERVAL_MS - JITTER_MS);
    expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(5);
  });

  it("takes the spacing it is given, per account", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: CAP, minIntervalMs: 60 });
    const { times } = await burst([limiter], 10);
    expect(minGap(times)).toBeGreaterThanOrEqual(60 - JITTER_MS);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(9 * 60 - JITTER_MS);
    // Another account is not held up by this one's spacing.
    const started = Date.now();
    await Promise.all([limiter.run("x", async () => 1), limiter.run("y", async () => 2)]);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it("releases the slot when the call throws", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: 1, limit: 100, windowMs: 1000 });
    await expect(limiter.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run("a", async () => "ok")).resolves.toBe("ok");
  });
});

describe("RedisPosterLimiter (through the Upstash bridge)", () => {
  let bridge: UpstashBridge;
  let redis: Redis;
  const prefix = `test:poster:${process.pid}:${Date.now()}`;

  beforeAll(async () => {
    bridge = await startUpstashBridge();
    redis = new Redis({ url: bridge.url, token: bridge.token });
  });
  afterAll(async () => {
    const keys = await bridge.redis.keys(`${prefix}*`);
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });

  it("shares rate and concurrency across instances: no aligned window over the limit, in-flight ≤ cap", async () => {
    const opts = { maxConcurrent: CAP, limit: LIMIT, windowMs: WINDOW, prefix, minIntervalMs: 0 };
    // Four limiter objects = four app instances; only Redis ties them together.
    const limiters = Array.from({ length: 4 }, () => createPosterLimiter({ ...opts, redis }));
    expect(limiters[0]).toBeInstanceOf(RedisPosterLimiter);
    const { results, times, statuses, maxInFlight } = await burst(limiters);
    expect(results).toHaveLength(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(maxInAlignedWindow(times, WINDOW)).toBeLessThanOrEqual(LIMIT);
    expect(maxInFlight).toBeLessThanOrEqual(CAP);
    // The state really lived in Redis (not the in-memory fallback).
    expect((await bridge.redis.keys(`${prefix}:rate*`)).length).toBeGreaterThan(0);
    expect(await bridge.redis.zcard(`${prefix}:slots:${CAFE.accountNumber}`)).toBe(0);
  });

  it("spaces one account's calls across instances: no second holds more than the rate allows", async () => {
    const interval = minIntervalForRate(10);
    const opts = { maxConcurrent: CAP, limit: 100, windowMs: 60_000, prefix, minIntervalMs: interval };
    const limiters = Array.from({ length: 4 }, () => createPosterLimiter({ ...opts, redis }));
    const { times, statuses } = await burst(limiters, 14);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Redis grants the starts exactly `interval` apart; each call leaves when the grant's answer arrives, so the
    // gaps seen by Poster vary by how long that answer took (more on a loaded machine).
    const gaps = [...times].sort((a, b) => a - b).slice(1).map((t, i) => t - [...times].sort((a, b) => a - b)[i]!);
    expect(gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(interval - JITTER_MS);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(13 * interval - 60);
    expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(Math.ceil(1000 / interval) + 1);
    expect(await bridge.redis.exists(`${prefix}:next:${CAFE.accountNumber}`)).toBe(1);
  });

  it("reclaims leases of crashed holders after leaseMs", async () => {
    const key = `${prefix}:slots:crash`;
    await bridge.redis.zadd(key, Date.now() + 150, "dead-1");
    const limiter = new RedisPosterLimiter(redis, { maxConcurrent: 1, limit: 100, windowMs: 1000, prefix, leaseMs: 150 });
    const started = Date.now();
    await limiter.run("crash", async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("falls back to memory limiting when Redis is unreachable, spacing included", async () => {
    const down = new Redis({ url: "http://127.0.0.1:9", token: "x", retry: { retries: 0 } });
    const limiter = new RedisPosterLimiter(down, { maxConcurrent: 2, limit: 5, windowMs: 1000, prefix, minIntervalMs: 80 });
    await expect(limiter.run(CAFE.accountNumber, async () => "ok")).resolves.toBe("ok");
    const { times } = await burst([limiter], 4);
    expect(minGap(times)).toBeGreaterThanOrEqual(80 - JITTER_MS);
  });
});
