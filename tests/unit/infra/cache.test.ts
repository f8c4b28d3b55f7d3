import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCache, MemoryCache, RedisCache, resetCacheForTests } from "@/server/cache";
import { createLogger } from "@/server/observability/log";
import { resetEnvForTests } from "@/server/env";
import { resetRedisForTests } from "@/server/redis/client";
import { closedPort } from "@/tests/support/ports";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";

describe("MemoryCache", () => {
  it("expires entries after their TTL", async () => {
    let now = 1_000_000;
    const cache = new MemoryCache({ now: () => now });
    await cache.set("a", { n: 1 }, 10);
    expect(await cache.get("a")).toEqual({ n: 1 });
    now += 9_999;
    expect(await cache.get("a")).toEqual({ n: 1 });
    now += 1;
    expect(await cache.get("a")).toBeUndefined();
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.get("a"); // a is now most recent
    await cache.set("c", 3, 60);
    expect(cache.size).toBe(2);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(1);
    expect(await cache.get("c")).toBe(3);
  });

  it("returns copies, caches null, never caches undefined, del removes", async () => {
    const cache = new MemoryCache();
    const value = { list: [1, 2] };
    await cache.set("k", value, 60);
    value.list.push(3);
    const got = await cache.get<{ list: number[] }>("k");
    expect(got).toEqual({ list: [1, 2] });
    got!.list.push(9);
    expect(await cache.get("k")).toEqual({ list: [1, 2] });
    await cache.set("n", null, 60);
    expect(await cache.get("n")).toBeNull();
    await cache.set("u", undefined, 60);
    expect(await cache.get("u")).toBeUndefined();
    await cache.del("k");
    expect(await cache.get("k")).toBeUndefined();
  });

  it("getOrSet loads once, caches, single-flights concurrent misses and doesn't cache errors", async () => {
    const cache = new MemoryCache();
    let calls = 0;
    const loader = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return { calls };
    };
    const [a, b] = await Promise.all([cache.getOrSet("x", 60, loader), cache.getOrSet("x", 60, loader)]);
    expect(a).toEqual({ calls: 1 });
    expect(b).toEqual({ calls: 1 });
    expect(await cache.getOrSet("x", 60, loader)).toEqual({ calls: 1 });
    expect(calls).toBe(1);

    await expect(cache.getOrSet("e", 60, () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    expect(await cache.getOrSet("e", 60, async () => "ok")).toBe("ok");
  });
});

describe("RedisCache through the Upstash bridge", () => {
  let bridge: UpstashBridge;
  let redis: Redis;
  const ns = `test:${randomUUID()}:`;

  beforeAll(async () => {
    bridge = await startUpstashBridge();
    redis = new Redis({ url: bridge.url, token: bridge.token });
  });
  afterAll(async () => {
    const keys = await bridge.redis.keys(`${ns}*`);
    if (keys.length) await bridge.redis.del(...keys);
    await bridge.close();
  });

  it("sets, gets, deletes and expires values in Redis", async () => {
    const cache = new RedisCache(redis, { prefix: ns, timeoutMs: 2_000 });
    await cache.set("obj", { a: 1, s: "x" }, 30);
    expect(await cache.get("obj")).toEqual({ a: 1, s: "x" });
    expect(await bridge.redis.ttl(`${ns}obj`)).toBeGreaterThan(25);
    // strings that look like JSON or numbers stay strings
    await cache.set("str", '{"v":1}', 30);
    expect(await cache.get("str")).toBe('{"v":1}');
    await cache.set("num-str", "123", 30);
    expect(await cache.get("num-str")).toBe("123");
    await cache.set("num", 123, 30);
    expect(await cache.get("num")).toBe(123);
    await cache.del("obj");
    expect(await cache.get("obj")).toBeUndefined();
    await cache.set("short", 1, 1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await cache.get("short")).toBeUndefined();
  });

  it("is shared between instances (what makes it useful across serverless instances)", async () => {
    const a = new RedisCache(redis, { prefix: ns, timeoutMs: 2_000 });
    const b = new RedisCache(new Redis({ url: bridge.url, token: bridge.token }), { prefix: ns, timeoutMs: 2_000 });
    let calls = 0;
    expect(await a.getOrSet("shared", 30, async () => ++calls)).toBe(1);
    expect(await b.getOrSet("shared", 30, async () => ++calls)).toBe(1);
    expect(calls).toBe(1);
  });

  it("treats a foreign value under the key as a miss", async () => {
    await bridge.redis.set(`${ns}foreign`, "not json {");
    const cache = new RedisCache(redis, { prefix: ns, timeoutMs: 2_000 });
    expect(await cache.get("foreign")).toBeUndefined();
  });

  it("getCache() uses Redis when UPSTASH_REDIS_REST_URL is set", async () => {
    const saved = { url: process.env.UPSTASH_REDIS_REST_URL, token: process.env.UPSTASH_REDIS_REST_TOKEN };
    try {
      process.env.UPSTASH_REDIS_REST_URL = bridge.url;
      process.env.UPSTASH_REDIS_REST_TOKEN = bridge.token;
      resetEnvForTests();
      resetRedisForTests();
      resetCacheForTests();
      expect(getCache()).toBeInstanceOf(RedisCache);
      delete process.env.UPSTASH_REDIS_REST_URL;
      delete process.env.UPSTASH_REDIS_REST_TOKEN;
      resetEnvForTests();
      resetRedisForTests();
      resetCacheForTests();
      expect(getCache()).toBeInstanceOf(MemoryCache);
    } finally {
      if (saved.url !== undefined) process.env.UPSTASH_REDIS_REST_URL = saved.url;
      if (saved.token !== undefined) process.env.UPSTASH_REDIS_REST_TOKEN = saved.token;
      resetEnvForTests();
      resetRedisForTests();
      resetCacheForTests();
    }
  });
});

describe("RedisCache when Redis is down or slow", () => {
  let hanging: Server;
  let hangingUrl: string;
  beforeAll(async () => {
    // Accepts requests and never answers.
    hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
  });

  function capturingLogger() {
    const warnings: string[] = [];
    const logger = createLogger({ level: "warn", sink: (line) => warnings.push(line) });
    return { logger, warnings };
  }

  it("refused connections: getOrSet returns the loader value quickly, one warning", async () => {
    const port = await closedPort();
    const redis = new Redis({ url: `http://127.0.0.1:${port}`, token: "t", retry: { retries: 1, backoff: () => 50 } });
    const { logger, warnings } = capturingLogger();
    const cache = new RedisCache(redis, { logger });
    const start = performance.now();
    expect(await cache.getOrSet("k", 60, async () => "from-db")).toBe("from-db");
    expect(await cache.getOrSet("k", 60, async () => "from-db-2")).toBe("from-db-2");
    await cache.set("k", 1, 60);
    await cache.del("k");
    expect(await cache.get("k")).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Redis cache unavailable");
  });

  it("a hanging Redis costs at most the timeout, then the cooldown skips it", async () => {
    const redis = new Redis({ url: hangingUrl, token: "t", retry: false });
    const { logger, warnings } = capturingLogger();
    const cache = new RedisCache(redis, { timeoutMs: 100, cooldownMs: 60_000, logger });
    let start = performance.now();
    expect(await cache.getOrSet("k", 60, async () => 42)).toBe(42);
    expect(performance.now() - start).toBeLessThan(400);
    start = performance.now();
    for (let i = 0; i < 20; i++) expect(await cache.getOrSet(`k${i}`, 60, async () => i)).toBe(i);
    expect(performance.now() - start).toBeLessThan(100);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("timed out");
  });

  it("comes back after the cooldown", async () => {
    const bridge = await startUpstashBridge();
    // A front for the bridge that can be switched off (drops connections) and on again.
    let up = false;
    const front = createServer((req, res) => {
      if (!up) return void req.socket.destroy();
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        void fetch(bridge.url + (req.url ?? "/"), {
          method: "POST",
          headers: { authorization: String(req.headers.authorization), "upstash-encoding": String(req.headers["upstash-encoding"] ?? "") },
          body,
        })
          .then(async (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(await r.text()))
          .catch(() => req.socket.destroy());
      });
    });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      const { logger } = capturingLogger();
      const cache = new RedisCache(new Redis({ url, token: bridge.token, retry: false }), {
        timeoutMs: 1_000,
        cooldownMs: 100,
        logger,
        prefix: `test:${randomUUID()}:`,
      });
      expect(await cache.getOrSet("y", 30, async () => "first")).toBe("first");
      up = true;
      // Still within the cooldown: Redis is skipped.
      expect(await cache.getOrSet("y", 30, async () => "second")).toBe("second");
      await new Promise((r) => setTimeout(r, 150));
      expect(await cache.getOrSet("y", 30, async () => "third")).toBe("third");
      expect(await cache.getOrSet("y", 30, async () => "fourth")).toBe("third");
    } finally {
      front.closeAllConnections();
      await new Promise<void>((r) => front.close(() => r()));
      await bridge.close();
    }
  });
});
