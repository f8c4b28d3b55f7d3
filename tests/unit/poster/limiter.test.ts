import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryPosterLimiter, RedisPosterLimiter, createPosterLimiter, type PosterLimiter } from "@/server/poster/limiter";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";
import { CAFE, clientFor, maxInAlignedWindow, maxInSlidingWindow, newSim, noLimiter } from "./support";

const LIMIT = 10;
const WINDOW = 1000;
const CAP = 5;

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
  });
});

describe("MemoryPosterLimiter", () => {
  it("never exceeds the rate in any sliding window nor the concurrency cap, with 20 concurrent callers", async () => {
    const limiter = new MemoryPosterLimiter({ maxConcurrent: CAP, limit: LIMIT, windowMs: WINDOW });
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
    const opts = { maxConcurrent: CAP, limit: LIMIT, windowMs: WINDOW, prefix };
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

  it("reclaims leases of crashed holders after leaseMs", async () => {
    const key = `${prefix}:slots:crash`;
    await bridge.redis.zadd(key, Date.now() + 150, "dead-1");
    const limiter = new RedisPosterLimiter(redis, { maxConcurrent: 1, limit: 100, windowMs: 1000, prefix, leaseMs: 150 });
    const started = Date.now();
    await limiter.run("crash", async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("falls back to memory limiting when Redis is unreachable", async () => {
    const down = new Redis({ url: "http://127.0.0.1:9", token: "x", retry: { retries: 0 } });
    const limiter = new RedisPosterLimiter(down, { maxConcurrent: 2, limit: 5, windowMs: 1000, prefix });
    await expect(limiter.run(CAFE.accountNumber, async () => "ok")).resolves.toBe("ok");
  });
});
