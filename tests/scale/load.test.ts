/**
 * Scenario 1, load: every scale restaurant's full sync enqueued at once (flow-control key = its Poster account, as
 * the dispatcher enqueues them), from simulator accounts each limited like Poster (5 calls per second, 429 beyond),
 * while 20 simulated users work the checklist and orders; twice: run by the in-process job runner, then published
 * to QStash (a local stand-in, tests/support/qstash-stand-in.ts) and delivered, signed, to the job endpoint.
 * SCALE_RUNNER_CONCURRENCY (default 4) jobs at a time either way. All syncs succeed, the simulator answered no 429
 * (the app's limiter kept every account within its limit), no user request failed, and the database connections
 * (pg_stat_activity, sampled every 20 ms) never exceeded the pool.
 */
import { inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { jobs } from "@/db/schema";
import { POST as jobRoute } from "@/app/api/jobs/[kind]/route";
import { env, resetEnvForTests } from "@/server/env";
import { enqueueJob, ensureJobHandlers, JobRunner } from "@/server/jobs";
import type { PosterSimulatorServer } from "@/simulator";
import { closeDatabase } from "@/tests/support/database";
import { waitFor } from "@/tests/support/jobs";
import { startQstashStandIn, type QstashStandIn } from "@/tests/support/qstash-stand-in";
import { openScale, percentile, recordScale, round, scaleDatabaseUrl, startScaleSimulator } from "./fixture";
import type { ScaleRestaurant } from "./seed";
import { loadScaleUsers, staleSaves, userRound, type ScaleUser } from "./users";

const CONCURRENCY = Number(process.env.SCALE_RUNNER_CONCURRENCY ?? "4");
const APP_URL = "https://checklist.scale.test";
const SIGNING_KEY = "sig_scale_load_0123456789";

/** The fewest milliseconds spanned by `limit + 1` consecutive arrivals at one account: under 1,000 means a 429. */
function tightestSpanMs(arrivals: number[], limit: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let min = Infinity;
  for (let i = limit; i < sorted.length; i++) min = Math.min(min, sorted[i]! - sorted[i - limit]!);
  return min;
}

describe.skipIf(!scaleDatabaseUrl())("scale: load, every restaurant synced at once while users work", () => {
  let sim: PosterSimulatorServer;
  let all: ScaleRestaurant[];
  let people: ScaleUser[];
  let monitor: postgres.Sql;
  let qstash: QstashStandIn | null = null;

  beforeAll(async () => {
    all = await openScale();
    sim = await startScaleSimulator();
    for (const r of all) sim.simulator.setFaults(r.login, { rateLimit: { limit: env().POSTER_CALLS_PER_SECOND, windowMs: 1_000 } });
    people = await loadScaleUsers(all.slice(0, Math.min(20, all.length)));
    monitor = postgres(scaleDatabaseUrl(), { max: 1, onnotice: () => {} });
    ensureJobHandlers();
  });

  afterAll(async () => {
    await monitor?.end({ timeout: 5 });
    await sim?.close();
    await closeDatabase();
  });

  async function load(backend: "runner" | "qstash") {
    const database = new URL(scaleDatabaseUrl()).pathname.slice(1);
    const pool = env().DATABASE_POOL_MAX;
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await monitor<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = ${database} and backend_type = 'client backend' and pid <> pg_backend_pid()`;
        peak = Math.max(peak, row!.n);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const from = Date.now();
    const staleBefore = staleSaves;
    const started = performance.now();
    const ids: string[] = [];
    for (const r of all) {
      const job = { kind: "sync.full", restaurantId: r.id, payload: { trigger: "schedule" }, dedupKey: `scale-load:${backend}:${r.id}:${from}`, flowKey: r.accountNumber } as const;
      ids.push((await enqueueJob(job)).jobId);
    }
    const runner = backend === "runner" ? new JobRunner({ concurrency: CONCURRENCY, pollMs: 50 }).start() : null;

    // Users work in rounds until every sync is done.
    let done = false;
    const failures: string[] = [];
    const latencies: number[] = [];
    let rounds = 0;
    const usersAtWork = Promise.all(
      people.map(async (u) => {
        for (let n = 0; !done; n++) {
          const r = await userRound(u, n);
          failures.push(...r.failures);
          latencies.push(...r.latenciesMs);
          rounds++;
        }
      }),
    );
    try {
      await waitFor(async () => {
        const rows = await withPlatform("test", (tx) => tx.select({ status: jobs.status }).from(jobs).where(inArray(jobs.id, ids)));
        return rows.every((j) => ["succeeded", "failed", "dead"].includes(j.status));
      }, 1_500_000, 250);
    } finally {
      done = true;
      await usersAtWork;
      await runner?.stop();
      await qstash?.idle();
      sampling = false;
      await sampler;
    }
    const syncAllSeconds = (performance.now() - started) / 1000;
    const finished = await withPlatform("test", (tx) => tx.select({ status: jobs.status, attempts: jobs.attempts }).from(jobs).where(inArray(jobs.id, ids)));
    const [runs] = await withPlatform("test", async (tx) =>
      (await tx.execute(sql`select count(*)::int as n, coalesce(avg(extract(epoch from finished_at - started_at)), 0)::float as avg_s,
        coalesce(max(extract(epoch from finished_at - started_at)), 0)::float as max_s from sync_runs
        where job_id = any(${`{${ids.join(",")}}`}::uuid[]) and status = 'succeeded'`)) as unknown as { n: number; avg_s: number; max_s: number }[],
    );
    const log = all.flatMap((r) => sim.simulator.requestLog(r.login).filter((e) => e.at >= from));
    const limit = env().POSTER_CALLS_PER_SECOND;
    const figures = {
      restaurants: all.length,
      backend,
      runner_concurrency: CONCURRENCY,
      sync_all_seconds: round(syncAllSeconds),
      sync_errors: finished.filter((j) => j.status !== "succeeded").length,
      sync_retries: finished.reduce((s, j) => s + Math.max(0, j.attempts - 1), 0),
      sync_seconds_avg: round(Number(runs?.avg_s ?? 0)),
      sync_seconds_max: round(Number(runs?.max_s ?? 0)),
      poster_calls: log.length,
      poster_calls_per_sync: round(log.length / all.length, 1),
      rate_limit_violations: log.filter((e) => e.httpStatus === 429).length,
      poster_arrival_tightest_span_ms: round(Math.min(...all.map((r) => tightestSpanMs(sim.simulator.requestLog(r.login).filter((e) => e.at >= from).map((e) => e.at), limit)))),
      users: people.length,
      user_rounds: rounds,
      user_requests: latencies.length + failures.length,
      user_request_failures: failures.length,
      user_saves_retried_after_sync: staleSaves - staleBefore,
      user_request_ms_p50: round(percentile(latencies, 50)),
      user_request_ms_p95: round(percentile(latencies, 95)),
      db_pool_max: pool,
      db_connections_peak: peak,
      ...(qstash ? { qstash: qstash.stats() } : {}),
    };
    recordScale(backend === "runner" ? "load" : "load_qstash", figures);
    console.log(`scale load (${backend}):`, figures);

    expect(figures.sync_errors).toBe(0);
    expect(figures.rate_limit_violations).toBe(0);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(pool);
    if (qstash) {
      expect(qstash.stats()).toMatchObject({ published: all.length, failed: 0 });
      expect(qstash.stats().flowKeyPeak).toBe(1); // one running sync per Poster account
    }
  }

  it("in-process runner: all syncs complete with no error and no 429, users unaffected, connections within the pool", () => load("runner"));

  it("QStash: the same, every job published, delivered signed to the job endpoint, one at a time per account", async () => {
    const saved = { ...process.env };
    qstash = await startQstashStandIn({
      signingKey: SIGNING_KEY,
      concurrency: CONCURRENCY,
      deliver: (destination, body, headers) => {
        const route = new URL(destination).pathname.split("/").at(-1)!;
        return jobRoute(new Request(`http://127.0.0.1/api/jobs/${route}`, { method: "POST", headers, body }), { params: Promise.resolve({ kind: route }) });
      },
    });
    Object.assign(process.env, { APP_URL, QSTASH_TOKEN: "qstash-scale", QSTASH_URL: qstash.url, QSTASH_CURRENT_SIGNING_KEY: SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY: `${SIGNING_KEY}_next` });
    resetEnvForTests();
    try {
      await load("qstash");
    } finally {
      process.env = saved;
      resetEnvForTests();
      await qstash.close();
      qstash = null;
    }
  });
});
