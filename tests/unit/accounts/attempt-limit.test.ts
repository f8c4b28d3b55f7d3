import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttemptLimiter } from "@/server/accounts/attempt-limit";
import { MemoryCache, RedisCache } from "@/server/cache";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";

const rules = { email: { limit: 5, windowSeconds: 900 }, ip: { limit: 20, windowSeconds: 900 } };

/** The same behaviour whatever the backend. */
// Memory keeps an exact log (the wait is until the oldest failure leaves the window); Upstash's sliding window
// approximates with fixed buckets, so its wait is until the current bucket ends.
function behaves(make: () => ReturnType<typeof createAttemptLimiter>, minWait: number) {
  it("locks an e-mail after 5 failures, with a retry time within the window", async () => {
    const limiter = make();
    const keys = { email: `a-${randomUUID()}@test.local`, ip: null };
    for (let i = 0; i < 4; i++) {
      expect(await limiter.retryAfter(keys)).toBe(0);
      expect(await limiter.fail(keys)).toBe(0);
    }
    expect(await limiter.retryAfter(keys)).toBe(0);
    const locked = await limiter.fail(keys);
    expect(locked).toBeGreaterThan(minWait);
    expect(locked).toBeLessThanOrEqual(900);
    const wait = await limiter.retryAfter(keys);
    expect(wait).toBeGreaterThan(minWait);
    expect(wait).toBeLessThanOrEqual(900);
    // Another e-mail from nowhere is not affected.
    expect(await limiter.retryAfter({ email: `b-${randomUUID()}@test.local`, ip: null })).toBe(0);
  });

  it("reset forgets an e-mail's failures and lock", async () => {
    const limiter = make();
    const email = `c-${randomUUID()}@test.local`;
    for (let i = 0; i < 5; i++) await limiter.fail({ email });
    expect(await limiter.retryAfter({ email })).toBeGreaterThan(0);
    await limiter.reset("email", email);
    expect(await limiter.retryAfter({ email })).toBe(0);
    expect(await limiter.fail({ email })).toBe(0);
  });

  it("locks an IP after 20 failures spread over many e-mails", async () => {
    const limiter = make();
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
    for (let i = 0; i < 19; i++) expect(await limiter.fail({ email: `s${i}-${randomUUID()}@test.local`, ip })).toBe(0);
    expect(await limiter.fail({ email: `last-${randomUUID()}@test.local`, ip })).toBeGreaterThan(0);
    expect(await limiter.retryAfter({ email: `fresh-${randomUUID()}@test.local`, ip })).toBeGreaterThan(0);
  });
}

describe("attempt limiter in memory", () => {
  behaves(() => createAttemptLimiter(`t-${randomUUID()}`, rules, { redis: null, cache: new MemoryCache() }), 890);
});

describe("attempt limiter on Redis (Upstash ratelimit + cache through the bridge)", () => {
  let bridge: UpstashBridge;
  let redis: Redis;
  const ns = `t-${randomUUID()}`;

  beforeAll(async () => {
    bridge = await startUpstashBridge();
    redis = new Redis({ url: bridge.url, token: bridge.token });
  });
  afterAll(async () => {
    const keys = [...(await bridge.redis.keys(`rl:${ns}*`)), ...(await bridge.redis.keys(`${ns}:*`))];
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });

  behaves(() => createAttemptLimiter(ns, rules, { redis, cache: new RedisCache(redis, { prefix: `${ns}:`, timeoutMs: 2_000 }) }), 0);

  it("keeps the counts in Redis, shared by two instances", async () => {
    const email = `shared-${randomUUID()}@test.local`;
    const a = createAttemptLimiter(`${ns}-shared`, rules, { redis, cache: new RedisCache(redis, { prefix: `${ns}:`, timeoutMs: 2_000 }) });
    const b = createAttemptLimiter(`${ns}-shared`, rules, { redis, cache: new RedisCache(redis, { prefix: `${ns}:`, timeoutMs: 2_000 }) });
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).fail({ email });
    expect(await a.retryAfter({ email })).toBeGreaterThan(0);
    expect(await b.retryAfter({ email })).toBeGreaterThan(0);
    expect((await bridge.redis.keys(`rl:${ns}-shared:email*`)).length).toBeGreaterThan(0);
  });
});

describe("attempt limiter while Redis is unreachable", () => {
  it("still locks an e-mail after 5 failures (counts and lock kept in this process)", async () => {
    // A port nothing listens on: every Redis call fails at once.
    const dead = new Redis({ url: "http://127.0.0.1:9", token: "none", retry: { retries: 0, backoff: () => 0 } });
    const limiter = createAttemptLimiter(`t-${randomUUID()}`, rules, { redis: dead, cache: new RedisCache(dead, { timeoutMs: 500 }) });
    const email = `down-${randomUUID()}@test.local`;
    for (let i = 0; i < 4; i++) expect(await limiter.fail({ email })).toBe(0);
    expect(await limiter.fail({ email })).toBeGreaterThan(0);
    expect(await limiter.retryAfter({ email })).toBeGreaterThan(0);
    // reset still clears it (a successful sign-in on this instance).
    await limiter.reset("email", email);
    expect(await limiter.retryAfter({ email })).toBe(0);
  });
});
