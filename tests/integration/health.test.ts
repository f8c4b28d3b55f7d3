import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { GET } from "@/app/api/health/route";
import { resetEnvForTests } from "@/server/env";
import { resetHealthForTests } from "@/server/observability/health";
import { resetRedisForTests } from "@/server/redis/client";
import { startUpstashBridge, type UpstashBridge } from "../support/upstash-bridge";
import { closeDatabase, openTestDatabase } from "../support/database";
import { closedPort } from "../support/ports";

async function health() {
  resetHealthForTests();
  const res = await GET();
  return { status: res.status, cache: res.headers.get("cache-control"), body: (await res.json()) as Record<string, Record<string, unknown> | string> };
}

let bridge: UpstashBridge;
const saved = { ...process.env };

beforeAll(async () => {
  await openTestDatabase();
  bridge = await startUpstashBridge();
});
afterAll(async () => {
  await bridge.close().catch(() => {});
  process.env = { ...saved };
  resetEnvForTests();
  resetRedisForTests();
  await closeDatabase();
});
beforeEach(() => {
  delete process.env.UPSTASH_REDIS_REST_URL;
  delete process.env.UPSTASH_REDIS_REST_TOKEN;
  resetEnvForTests();
  resetRedisForTests();
});

describe("GET /api/health", () => {
  it("is ok with Postgres and Redis up, with the queue's backend and the oldest due job's age, and holds no secret", async () => {
    process.env.UPSTASH_REDIS_REST_URL = bridge.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = bridge.token;
    resetEnvForTests();
    resetRedisForTests();
    const dedup = `health-test-${Date.now()}`;
    await withPlatform("test", (tx) =>
      tx.execute(sql`insert into jobs (kind, dedup_key, status, run_after) values ('jobs.cleanup', ${dedup}, 'queued', now() - interval '90 seconds')`),
    );
    try {
      const { status, cache, body } = await health();
      expect(status).toBe(200);
      expect(cache).toBe("no-store");
      expect(body.status).toBe("ok");
      expect(body.postgres).toMatchObject({ ok: true });
      expect(body.redis).toMatchObject({ configured: true, ok: true });
      const queue = body.queue as { backend: string; queued: number; oldestQueuedSeconds: number };
      expect(queue.backend).toBe("in-process");
      expect(queue.queued).toBeGreaterThanOrEqual(1);
      expect(queue.oldestQueuedSeconds).toBeGreaterThanOrEqual(89);
      const text = JSON.stringify(body);
      expect(text).not.toContain(bridge.token);
      expect(text).not.toContain("127.0.0.1");
    } finally {
      await withPlatform("test", (tx) => tx.execute(sql`delete from jobs where dedup_key = ${dedup}`));
    }
  });

  it("answers 200 degraded when Redis is down (the cache and limits fall back to memory)", async () => {
    process.env.UPSTASH_REDIS_REST_URL = `http://127.0.0.1:${await closedPort()}`;
    process.env.UPSTASH_REDIS_REST_TOKEN = "t";
    resetEnvForTests();
    resetRedisForTests();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.postgres).toMatchObject({ ok: true });
    expect(body.redis).toMatchObject({ configured: true, ok: false });
  });

  it("answers 503 down, quickly, when Postgres cannot be reached, naming no host or user", async () => {
    const port = await closedPort();
    await closeDatabase();
    process.env.DATABASE_URL = `postgres://secret_user:secret_pw@127.0.0.1:${port}/nowhere`;
    delete process.env.PGLITE_DIR;
    resetEnvForTests();
    const started = Date.now();
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.status).toBe("down");
      expect(body.postgres).toMatchObject({ ok: false });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(JSON.stringify(body)).not.toMatch(/secret_|nowhere|127\.0\.0\.1/);
    } finally {
      await closeDatabase().catch(() => {});
      await openTestDatabase();
    }
  });

  it("shares one check between polls within a second", async () => {
    resetHealthForTests();
    const [a, b] = await Promise.all([GET(), GET()]);
    const [ja, jb] = [(await a.json()) as { checkedAt: string }, (await b.json()) as { checkedAt: string }];
    expect(ja.checkedAt).toBe(jb.checkedAt);
  });
});
