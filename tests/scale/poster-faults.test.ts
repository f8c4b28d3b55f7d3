/**
 * Scenarios 5 and 6, Poster misbehaving, through the in-process job runner and the app's own clients:
 * 5. four accounts answering 30 % of calls with 5xx, some 429s and dropped connections, with 200 ms latency: every
 *    sync ends succeeded within its retry budget (client retries, then job attempts); the error rate users see
 *    (failed syncs) is reported next to Poster's.
 * 6. one account's token expires mid-sync while three others sync: that restaurant is marked needs-reconnect, its
 *    job fails once (no retry, no further Poster calls), the others succeed.
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { jobs, posterConnections } from "@/db/schema";
import { settleConnectionMarks } from "@/server/connections";
import { posterTokenStore } from "@/server/connections/token-store";
import { enqueueJob, ensureJobHandlers, JobRunner } from "@/server/jobs";
import type { PosterSimulatorServer } from "@/simulator";
import { closeDatabase } from "@/tests/support/database";
import { waitFor } from "@/tests/support/jobs";
import { openScale, recordScale, round, scaleDatabaseUrl, startScaleSimulator } from "./fixture";
import type { ScaleRestaurant } from "./seed";

describe.skipIf(!scaleDatabaseUrl())("scale: Poster errors, 429s, latency, and a token expiring mid-sync", () => {
  let sim: PosterSimulatorServer;
  let all: ScaleRestaurant[];
  const pick = (from: number, n: number) => Array.from({ length: n }, (_, i) => all[(from + i) % all.length]!);
  let expiring: ScaleRestaurant | null = null;

  beforeAll(async () => {
    all = await openScale();
    sim = await startScaleSimulator();
    ensureJobHandlers();
  });

  afterAll(async () => {
    // The database is reused by the other scenarios: give the expired restaurant its connection back.
    if (expiring) {
      const r = expiring;
      await withPlatform("test", (tx) => posterTokenStore.markStatus(tx, r.id, "active", null));
    }
    await sim?.close();
    await closeDatabase();
  });

  async function syncAll(restaurants: ScaleRestaurant[], key: string) {
    const ids: string[] = [];
    for (const r of restaurants) ids.push((await enqueueJob({ kind: "sync.full", restaurantId: r.id, payload: { trigger: "schedule" }, dedupKey: `scale-faults:${key}:${r.id}:${Date.now()}` })).jobId);
    const runner = new JobRunner({ concurrency: restaurants.length, pollMs: 20, backoff: { baseMs: 200, maxMs: 1_000 } }).start();
    try {
      await waitFor(async () => {
        const rows = await withPlatform("test", (tx) => tx.select({ status: jobs.status }).from(jobs).where(inArray(jobs.id, ids)));
        return rows.every((j) => ["succeeded", "failed", "dead"].includes(j.status));
      }, 300_000, 100);
    } finally {
      await runner.stop();
    }
    const rows = await withPlatform("test", (tx) => tx.select().from(jobs).where(inArray(jobs.id, ids)));
    return restaurants.map((r) => rows.find((j) => j.restaurantId === r.id)!);
  }

  it("5: 30 % errors, 429s, drops and latency: every sync completes within its retry budget", async () => {
    const faulty = pick(2, 4);
    const from = Date.now();
    for (const r of faulty) sim.simulator.setFaults(r.login, { errorRate: 0.3, latencyMs: 200, queue: ["429", "429", "drop", "5xx", "429"] });
    const started = performance.now();
    const done = await syncAll(faulty, "errors");
    for (const r of faulty) sim.simulator.setFaults(r.login, { errorRate: 0, latencyMs: 0, queue: [] });
    const log = faulty.flatMap((r) => sim.simulator.requestLog(r.login).filter((e) => e.at >= from));
    const posterErrors = log.filter((e) => e.httpStatus >= 500 || e.httpStatus === 429 || e.httpStatus === 0).length;
    const figures = {
      syncs: faulty.length,
      poster_calls: log.length,
      poster_error_answers: posterErrors,
      poster_429: log.filter((e) => e.httpStatus === 429).length,
      poster_error_rate: round(posterErrors / Math.max(1, log.length), 3),
      job_attempts: done.map((j) => j.attempts),
      failed_syncs: done.filter((j) => j.status !== "succeeded").length,
      error_rate_seen_by_users: round(done.filter((j) => j.status !== "succeeded").length / faulty.length, 3),
      seconds: round((performance.now() - started) / 1000),
    };
    recordScale("poster_errors", figures);
    expect(done.map((j) => j.status)).toEqual(faulty.map(() => "succeeded"));
    expect(done.every((j) => j.attempts <= j.maxAttempts)).toBe(true);
    expect(figures.poster_error_rate).toBeGreaterThan(0.1); // the faults were really there
  });

  it("6: a token expiring mid-sync marks that restaurant needs-reconnect, with no retry loop; the others are unaffected", async () => {
    const group = pick(6, 4);
    const victim = group[0]!;
    expiring = victim;
    const from = Date.now();
    // A sync makes ~10 calls spaced 200 ms apart: 600 ms lands in its middle.
    sim.simulator.expireToken(victim.login, 600);
    const done = await syncAll(group, "token");
    await settleConnectionMarks();
    const calls = () => sim.simulator.requestLog(victim.login).filter((e) => e.at >= from);
    const callsAtEnd = calls().length;
    await new Promise((r) => setTimeout(r, 2_000));
    const [connection] = await withPlatform("test", (tx) => tx.select({ status: posterConnections.status }).from(posterConnections).where(eq(posterConnections.restaurantId, victim.id)));
    const refused = calls().filter((e) => e.errorCode !== null || e.httpStatus === 401 || e.httpStatus === 403).length;
    recordScale("token_expiry", {
      restaurants: group.length,
      victim_job: `${done[0]!.status}/${done[0]!.attempts}`,
      victim_poster_calls: callsAtEnd,
      victim_calls_refused: refused,
      others: done.slice(1).map((j) => j.status),
    });
    expect(calls().length).toBeGreaterThan(1); // the sync had started before the token expired
    expect(connection?.status).toBe("needs_reconnect");
    expect(done[0]!.status).toBe("failed");
    expect(done[0]!.attempts).toBe(1);
    expect(calls().length).toBe(callsAtEnd); // nothing calls Poster for it afterwards
    expect(done.slice(1).map((j) => j.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });
});
