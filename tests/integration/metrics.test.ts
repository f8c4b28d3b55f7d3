import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import type * as BackupOverviewModule from "@/server/backup/overview";
import { jobs, metricRollups } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { enqueueJob, JobRunner, registerJobHandler, type JobKind } from "@/server/jobs";
import { flushMetrics, metricsRecorder, pruneMetricRollups } from "@/server/observability/metrics";
import { createPosterClient } from "@/server/poster";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { waitFor } from "../support/jobs";

// One procedure failing unexpectedly (the backup storage throws): an error, not a refusal.
const backupFailure = vi.hoisted(() => ({ next: false }));
vi.mock("@/server/backup/overview", async (original) => {
  const actual = await original<typeof BackupOverviewModule>();
  return {
    ...actual,
    backupOverview: (...args: Parameters<typeof actual.backupOverview>) => {
      if (backupFailure.next) {
        backupFailure.next = false;
        throw new Error("storage exploded");
      }
      return actual.backupOverview(...args);
    },
  };
});

type Session = { id: string; sessionVersion: number; sessionId: string };
const as = (u: Session) => createCaller(createInnerContext({ session: { userId: u.id, sessionVersion: u.sessionVersion, sessionId: u.sessionId } }));

async function rollup(kind: string, name: string) {
  const [row] = await withPlatform("test", (tx) =>
    tx
      .select({ count: sql<number>`sum(${metricRollups.count})::int`, errors: sql<number>`sum(${metricRollups.errors})::int`, p50: sql<number>`max(${metricRollups.p50Ms})`, p95: sql<number>`max(${metricRollups.p95Ms})`, p99: sql<number>`max(${metricRollups.p99Ms})`, max: sql<number>`max(${metricRollups.maxMs})` })
      .from(metricRollups)
      .where(and(eq(metricRollups.kind, kind), eq(metricRollups.name, name))),
  );
  return { count: row?.count ?? 0, errors: row?.errors ?? 0, p50: row?.p50 ?? 0, p95: row?.p95 ?? 0, p99: row?.p99 ?? 0, max: row?.max ?? 0 };
}

describe(`metrics rollup in Postgres (${testDatabaseKind()})`, () => {
  let admin: Session;
  let owner: Session;

  beforeAll(async () => {
    await openTestDatabase();
    admin = await createUser({ isPlatformAdmin: true });
    owner = await createUser();
    const restaurant = await createRestaurant();
    await addMembership({ restaurantId: restaurant.id, userId: owner.id, role: "owner" });
    await withPlatform("test", (tx) => tx.delete(metricRollups));
    metricsRecorder().reset();
  }, 180_000);
  afterAll(closeDatabase);

  it("records procedures, a route, jobs and Poster methods with their counts and errors, in one write", async () => {
    for (let i = 0; i < 3; i++) await as(admin).admin.restaurants({});
    for (let i = 0; i < 2; i++) await expect(as(owner).admin.restaurants()).rejects.toMatchObject({ code: "FORBIDDEN" });
    backupFailure.next = true;
    await expect(as(admin).admin.backups()).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });

    expect((await healthRoute()).status).toBe(200);

    const ok = "test.metricsok" as JobKind;
    const broken = "test.metricsbroken" as JobKind;
    registerJobHandler(ok, async () => ({ done: true }));
    registerJobHandler(broken, async () => {
      throw new Error("handler broke");
    });
    const ids = [
      (await enqueueJob({ kind: ok, restaurantId: null, dedupKey: `m-ok-1-${Date.now()}` })).jobId,
      (await enqueueJob({ kind: ok, restaurantId: null, dedupKey: `m-ok-2-${Date.now()}` })).jobId,
      (await enqueueJob({ kind: broken, restaurantId: null, dedupKey: `m-broken-${Date.now()}`, maxAttempts: 1 })).jobId,
    ];
    const runner = new JobRunner({ pollMs: 20 }).start();
    try {
      await waitFor(async () => {
        const finished = await withPlatform("test", (tx) => tx.select({ id: jobs.id }).from(jobs).where(and(inArray(jobs.id, ids), inArray(jobs.status, ["succeeded", "dead"]))));
        return finished.length === 3;
      }, 10_000);
    } finally {
      await runner.stop();
    }

    // Poster: one call answered, one refused by Poster (an API error, after no retries).
    const answers = [{ response: { ok: 1 } }, { error: 34, message: "Invalid parameter" }];
    const poster = createPosterClient({
      baseUrl: "http://poster.test",
      accountNumber: "555001",
      token: "555001:0123456789abcdef0123456789abcdef",
      fetch: async () => Response.json(answers.shift()),
      retry: { retries: 0 },
    });
    await poster.call("metrics.probe", z.object({ ok: z.number() }));
    await expect(poster.call("metrics.probe", z.object({ ok: z.number() }))).rejects.toThrow();

    await flushMetrics();

    expect(await rollup("procedure", "admin.restaurants")).toMatchObject({ count: 5, errors: 0 });
    expect(await rollup("procedure", "admin.backups")).toMatchObject({ count: 1, errors: 1 });
    expect(await rollup("route", "GET /api/health")).toMatchObject({ count: 1, errors: 0 });
    expect(await rollup("job", ok)).toMatchObject({ count: 2, errors: 0 });
    expect(await rollup("job", broken)).toMatchObject({ count: 1, errors: 1 });
    expect(await rollup("poster", "metrics.probe")).toMatchObject({ count: 2, errors: 1 });
    // DB time: every transaction, by scope.
    expect((await rollup("db", "tenant")).count + (await rollup("db", "platform.auth")).count).toBeGreaterThan(0);
    const procedure = await rollup("procedure", "admin.restaurants");
    expect(procedure.p50).toBeGreaterThan(0);
    expect(procedure.p50).toBeLessThanOrEqual(procedure.p95);
    expect(procedure.p95).toBeLessThanOrEqual(procedure.p99);
    expect(procedure.p99).toBeLessThanOrEqual(procedure.max);
  });

  it("prunes rollup rows older than 30 days", async () => {
    const old = new Date(Date.now() - 31 * 86_400_000);
    await withPlatform("test", (tx) =>
      tx.insert(metricRollups).values({ minute: old, kind: "procedure", name: "old.one", count: 1, errors: 0, sumMs: 1, maxMs: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1, buckets: { "1": 1 } }),
    );
    const before = await rollup("procedure", "admin.restaurants");
    expect(await withPlatform("test", (tx) => pruneMetricRollups(tx))).toBe(1);
    expect(await rollup("procedure", "old.one")).toMatchObject({ count: 0 });
    expect(await rollup("procedure", "admin.restaurants")).toEqual(before);
  });
});
