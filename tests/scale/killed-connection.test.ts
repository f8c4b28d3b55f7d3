/**
 * Scenario 3, the database connection killed mid-sync (pg_terminate_backend on every connection of the app's
 * pool, from a separate monitor connection): during the apply step, the sync fails and nothing of it is applied
 * (the catalogue's checksum is the one before it); the job is retried by the in-process runner and succeeds.
 * During the fetch step (Poster answering slowly), the job also ends succeeded. Either way, a clean sync right
 * after writes nothing (every count zero, every catalogue row's xmin unchanged) and Poster's edits are in. Nothing is
 * thrown uncaught and no rejection is left unhandled (vitest fails the run on either): postgres.js 3.4.9 did both
 * here (3 uncaught TypeErrors in one run) until patches/postgres+3.4.9.patch.
 */
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observeQueries } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import { jobs, products } from "@/db/schema";
import { enqueueJob, ensureJobHandlers, JobRunner } from "@/server/jobs";
import type { PosterSimulatorServer } from "@/simulator";
import { runFullSync, type SyncCounts } from "@/server/sync";
import { closeDatabase } from "@/tests/support/database";
import { waitFor } from "@/tests/support/jobs";
import { openScale, recordScale, round, scaleDatabaseUrl, startScaleSimulator, tenantChecksum } from "./fixture";
import type { ScaleRestaurant } from "./seed";

const CATALOGUE = ["departments", "suppliers", "categories", "products", "product_departments"];
const APPLY_WRITE = /^\s*(insert into|update|delete from)\s+"?(products|product_departments|suppliers|categories|departments)"?/i;

describe.skipIf(!scaleDatabaseUrl())("scale: database connection killed mid-sync", () => {
  let sim: PosterSimulatorServer;
  let monitor: postgres.Sql;
  /** Holds a row lock the apply step needs, so the kill lands while the apply transaction is open (no race). */
  let locker: postgres.Sql;
  let lockerPid = 0;
  let database: string;
  let target: ScaleRestaurant;
  const figures: Record<string, unknown> = {};

  /** Terminates every connection to the test database but the monitor's; returns how many. */
  async function killAll(): Promise<number> {
    const rows = await monitor<{ pid: number }[]>`select pg_terminate_backend(pid) as ok, pid from pg_stat_activity
      where datname = ${database} and pid <> pg_backend_pid() and pid <> ${lockerPid} and backend_type = 'client backend'`;
    return rows.length;
  }

  /**
   * Starts `work` (a sync) while a product row it renames is locked: once the apply transaction waits on that lock
   * the app's connections are killed, then the lock is released. Returns the work's outcome and the kill count.
   */
  async function killDuringApply<T>(r: ScaleRestaurant, ingredientId: number, work: () => Promise<T>): Promise<{ result: T; killed: number }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = locker
      .begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${r.id}, true), set_config('role', 'app_user', true)`;
        await tx`select id from products where poster_ingredient_id = ${ingredientId} for update`;
        locked();
        await released;
      })
      .catch(() => undefined);
    await isLocked;
    const running = work();
    let killed = 0;
    try {
      await waitFor(async () => {
        const [row] = await monitor<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = ${database} and wait_event_type = 'Lock' and pid <> ${lockerPid}`;
        return row!.n > 0;
      }, 120_000, 20);
      killed = await killAll();
    } finally {
      release();
      await holding;
    }
    const result = await running;
    // The pool may still hold a connection that was killed while idle: its next query fails with "read
    // ECONNRESET" (seen in CI; docs/scaling.md). The checks that follow start from fresh connections, as a
    // restarted instance would.
    await closeDatabase();
    return { result, killed };
  }

  /** Every catalogue row's xmin: any write changes it. */
  const versions = (id: string) =>
    withTenant(id, async (tx) => {
      const out: string[] = [];
      for (const t of CATALOGUE) {
        const [row] = rowsOf<{ v: string }>(await tx.execute(sql`select coalesce(string_agg(xmin::text, ',' order by xmin::text), '') as v from ${sql.identifier(t)}`));
        out.push(`${t}:${row!.v}`);
      }
      return out.join("|");
    });

  const writes = (counts: SyncCounts) => Object.values(counts).reduce((s, c) => s + c.added + c.changed + c.archived, 0);

  /** Poster-side edits the next sync must apply: renames and stock changes. */
  function editAccount(login: string, label: string): { id: number; name: string }[] {
    const account = sim.simulator.account(login);
    const picked = account.data.ingredients.filter((i) => i.type === 1 && !i.hidden && !i.deleted).slice(0, 40);
    const storage = account.data.storages[0]!.id;
    return picked.map((ing, k) => {
      const name = `${label} ${k} ${Date.now().toString(36)}`;
      sim.simulator.edit(login, { op: "renameIngredient", ingredientId: ing.id, name });
      sim.simulator.edit(login, { op: "setStock", storageId: storage, ingredientId: ing.id, quantity: String(k + 0.5) });
      return { id: ing.id, name };
    });
  }

  async function runJob(restaurantId: string, key: string) {
    ensureJobHandlers();
    const runner = new JobRunner({ pollMs: 20, backoff: { baseMs: 100, maxMs: 500 } });
    // The database is reused: jobs other runs left queued would run first (and get killed too).
    await withPlatform("test", (tx) => tx.update(jobs).set({ status: "failed", error: "left over by an earlier scale run" }).where(eq(jobs.status, "queued")));
    const { jobId } = await enqueueJob({ kind: "sync.full", restaurantId, payload: { trigger: "manual" }, dedupKey: `scale-kill:${key}:${Date.now()}` });
    runner.start();
    try {
      await waitFor(async () => {
        // This poll may be on a connection the test kills: that answer is a "not yet".
        const [row] = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.id, jobId))).catch(() => []);
        return row && ["succeeded", "failed", "dead"].includes(row.status) ? row : null;
      }, 120_000, 100);
    } finally {
      await runner.stop();
    }
    const [row] = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.id, jobId)));
    return row!;
  }

  async function assertClean(r: ScaleRestaurant, edited: { id: number; name: string }[]) {
    const before = await versions(r.id);
    const clean = await runFullSync({ restaurantId: r.id, trigger: "manual" });
    expect(writes(clean.counts)).toBe(0);
    expect(await versions(r.id)).toBe(before);
    for (const e of edited.slice(0, 5)) {
      const [row] = await withTenant(r.id, (tx) => tx.select({ name: products.name }).from(products).where(eq(products.posterIngredientId, e.id)));
      expect(row?.name).toBe(e.name);
    }
  }

  beforeAll(async () => {
    const all = await openScale();
    target = all[1 % all.length]!;
    sim = await startScaleSimulator();
    database = new URL(scaleDatabaseUrl()).pathname.slice(1);
    monitor = postgres(scaleDatabaseUrl(), { max: 1, onnotice: () => {} });
    locker = postgres(scaleDatabaseUrl(), { max: 1, onnotice: () => {} });
    lockerPid = (await locker<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
    await runFullSync({ restaurantId: target.id, trigger: "manual" }); // in line with its account first
  });

  afterAll(async () => {
    observeQueries(null);
    recordScale("killed_connection", figures);
    await monitor?.end({ timeout: 5 });
    await locker?.end({ timeout: 5 });
    await sim?.close();
    await closeDatabase();
  });

  it("killed during apply: nothing half-applied, the job is retried and the result equals a clean sync", async () => {
    const edited = editAccount(target.login, "Kill apply");
    const before = await tenantChecksum(target.id, CATALOGUE);
    // Once directly, to look at the database right after the failed attempt.
    const direct = await killDuringApply(target, edited[0]!.id, () => runFullSync({ restaurantId: target.id, trigger: "manual" }).then(() => "succeeded", (e: Error) => e.name));
    expect(direct.killed).toBeGreaterThan(0);
    expect(direct.result).toBe("SyncFailedError");
    expect(await tenantChecksum(target.id, CATALOGUE)).toEqual(before);

    // Then as a job: the first attempt is killed the same way, the runner retries it.
    const started = performance.now();
    const { result: job, killed } = await killDuringApply(target, edited[1]!.id, () => runJob(target.id, "apply"));
    expect(killed).toBeGreaterThan(0);
    expect(job.status).toBe("succeeded");
    // Retried: usually attempt 2 succeeds; a pooled connection killed while idle can fail one more attempt.
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    expect(job.attempts).toBeLessThanOrEqual(job.maxAttempts);
    figures.apply = { connections_killed: killed, attempts: job.attempts, job_seconds: round((performance.now() - started) / 1000), half_applied: false };
    await assertClean(target, edited);
  });

  it("killed during fetch: the job ends succeeded and the result equals a clean sync", async () => {
    const edited = editAccount(target.login, "Kill fetch");
    sim.simulator.setFaults(target.login, { latencyMs: 300 });
    const from = Date.now();
    let applying = false;
    observeQueries((query) => {
      if (APPLY_WRITE.test(query)) applying = true;
    });
    const started = performance.now();
    const jobDone = runJob(target.id, "fetch");
    // The first Poster answers are in, the apply has not started: the pool's connections are killed.
    await waitFor(async () => sim.simulator.requestLog(target.login).filter((r) => r.at >= from).length >= 2, 30_000, 10);
    const wasApplying = applying;
    const killed = await killAll();
    const job = await jobDone;
    observeQueries(null);
    await closeDatabase(); // fresh connections for the checks (see killDuringApply)
    sim.simulator.setFaults(target.login, { latencyMs: 0 });
    expect(wasApplying).toBe(false);
    expect(killed).toBeGreaterThan(0);
    expect(job.status).toBe("succeeded");
    figures.fetch = { connections_killed: killed, attempts: job.attempts, job_seconds: round((performance.now() - started) / 1000) };
    await assertClean(target, edited);
  });
});
