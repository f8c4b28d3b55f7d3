/**
 * Scenario 7, at least once: every job and every webhook delivered three times, one effect each. Per scale
 * restaurant, an ingredient renamed in the simulator: its webhook arrives from the simulator over HTTP, then the
 * same hook twice more at once (one event, one job). Every job (those hooks' targeted syncs and one full sync
 * per restaurant) is then delivered three times at once through the QStash endpoint, signed as QStash signs
 * (a delivery answered 409 "running" is redelivered, as QStash retries it): one claim, one sync run per job.
 */
import { and, eq, gte, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as jobRoute } from "@/app/api/jobs/[kind]/route";
import { POST as webhookRoute } from "@/app/api/webhooks/poster/route";
import { withPlatform, withTenant } from "@/db/scope";
import { jobs, products, syncRuns, webhookEvents } from "@/db/schema";
import { resetEnvForTests } from "@/server/env";
import { enqueueJob } from "@/server/jobs";
import type { PosterSimulatorServer } from "@/simulator";
import { webhookDedupKey } from "@/server/webhooks/poster";
import { closeDatabase } from "@/tests/support/database";
import { serveRoute, signQstash } from "@/tests/support/jobs";
import { openScale, recordScale, round, scaleDatabaseUrl, startScaleSimulator } from "./fixture";
import type { ScaleRestaurant } from "./seed";

const APP_URL = "https://checklist.scale.test";
const SIGNING_KEY = "sig_scale_current_0123456789";
const COPIES = 3;

function deliverJob(kind: string, jobId: string, retried: number): Promise<Response> {
  const route = kind.replace(/\./g, "-");
  const body = JSON.stringify({ jobId });
  const headers = new Headers({ "content-type": "application/json", "upstash-retried": String(retried), "upstash-message-id": `msg_${jobId}` });
  headers.set("upstash-signature", signQstash({ body, url: `${APP_URL}/api/jobs/${route}`, key: SIGNING_KEY }));
  return jobRoute(new Request(`http://127.0.0.1/api/jobs/${route}`, { method: "POST", headers, body }), { params: Promise.resolve({ kind: route }) });
}

/** Runs `fn` over `items`, `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

describe.skipIf(!scaleDatabaseUrl())("scale: every job and every webhook delivered three times", () => {
  const saved = { ...process.env };
  let all: ScaleRestaurant[];
  let sim: PosterSimulatorServer;
  let hooks: Awaited<ReturnType<typeof serveRoute>>;

  beforeAll(async () => {
    Object.assign(process.env, { APP_URL, QSTASH_CURRENT_SIGNING_KEY: SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY: `${SIGNING_KEY}_next` });
    delete process.env.QSTASH_TOKEN; // jobs stay queued: this test is QStash, delivering them
    resetEnvForTests();
    all = await openScale();
    sim = await startScaleSimulator();
    hooks = await serveRoute((request) => webhookRoute(request));
    sim.simulator.webhooks.setUrl(`${hooks.url}/api/webhooks/poster`);
  });

  afterAll(async () => {
    await sim?.close();
    await hooks?.close();
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  it("one event, one job and one sync run per hook; one claim and one run per job", async () => {
    const started = performance.now();
    // The database is reused between runs: only what this run made counts.
    const since = new Date(Date.now() - 1_000);
    const tag = `Scale dup ${Date.now().toString(36)}`;
    const renamed = new Map<string, { ingredientId: number; name: string }>();
    for (const r of all) {
      const account = sim.simulator.account(r.login);
      const ingredient = account.data.ingredients.find((i) => i.type === 1 && !i.hidden && !i.deleted)!;
      const name = `${tag} ${r.index}`;
      sim.simulator.edit(r.login, { op: "renameIngredient", ingredientId: ingredient.id, name });
      renamed.set(r.id, { ingredientId: ingredient.id, name });
    }
    await sim.simulator.webhooks.idle();
    const delivered = sim.simulator.webhooks.deliveries().filter((d) => d.body.object === "ingredient" && renamed.has(all.find((r) => r.login === d.body.account)?.id ?? ""));
    expect(delivered.every((d) => d.state === "delivered")).toBe(true);
    expect(new Set(delivered.map((d) => d.body.account)).size).toBe(all.length);

    // The simulator delivered each hook once; Poster's retries bring the same body twice more, at once.
    const hookStatuses: number[] = [];
    await Promise.all(
      delivered.flatMap((d) =>
        Array.from({ length: COPIES - 1 }, async () => {
          const res = await webhookRoute(new Request(`${hooks.url}/api/webhooks/poster`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(d.body) }));
          hookStatuses.push(res.status);
        }),
      ),
    );
    expect(hookStatuses.every((s) => s === 200)).toBe(true);
    const ids = all.map((r) => r.id);
    const events = await withPlatform("test", (tx) => tx.select().from(webhookEvents).where(and(inArray(webhookEvents.restaurantId, ids), eq(webhookEvents.object, "ingredient"))));
    const hookJobs = await withPlatform("test", (tx) => tx.select().from(jobs).where(and(inArray(jobs.restaurantId, ids), eq(jobs.kind, "sync.targeted"), gte(jobs.createdAt, since))));
    // Exactly one event per hook (its dedup key is over the signed fields), and one job each.
    expect(delivered.map((d) => events.filter((e) => e.dedupKey === webhookDedupKey(d.body as Parameters<typeof webhookDedupKey>[0])).length)).toEqual(delivered.map(() => 1));
    expect(hookJobs).toHaveLength(all.length);

    const fullJobs = [];
    for (const r of all) fullJobs.push(await enqueueJob({ kind: "sync.full", restaurantId: r.id, payload: { trigger: "manual" }, dedupKey: `scale-dup:${r.id}:${since.getTime()}` }));

    // Three copies of every job's message at once; a "running" (409) answer is retried like QStash would.
    const statuses: Record<string, number> = {};
    let deliveries = 0;
    const deliverThrice = async (job: { id: string; kind: string }) => {
      await Promise.all(
        Array.from({ length: COPIES }, async () => {
          for (let retried = 0; ; retried++) {
            const res = await deliverJob(job.kind, job.id, retried);
            deliveries++;
            const body = (await res.json()) as { status?: string; duplicate?: boolean };
            const label = `${res.status}${body.duplicate ? " duplicate" : ""}`;
            statuses[label] = (statuses[label] ?? 0) + 1;
            if (res.status !== 409) return;
            await new Promise((r) => setTimeout(r, 200));
          }
        }),
      );
    };
    // Targeted syncs first, then the full ones: per restaurant one at a time, as QStash's flow control does.
    await inBatches(hookJobs.map((j) => ({ id: j.id, kind: j.kind })), 8, deliverThrice);
    await inBatches(fullJobs.map((j) => ({ id: j.jobId, kind: "sync.full" })), 8, deliverThrice);

    const jobIds = [...hookJobs.map((j) => j.id), ...fullJobs.map((j) => j.jobId)];
    const finished = await withPlatform("test", (tx) => tx.select().from(jobs).where(inArray(jobs.id, jobIds)));
    expect(finished.map((j) => `${j.status}/${j.attempts}`)).toEqual(jobIds.map(() => "succeeded/1"));
    const runs = await withPlatform("test", (tx) => tx.select({ jobId: syncRuns.jobId }).from(syncRuns).where(inArray(syncRuns.jobId, jobIds)));
    const perJob = new Map<string, number>();
    for (const run of runs) perJob.set(run.jobId!, (perJob.get(run.jobId!) ?? 0) + 1);
    expect(jobIds.map((id) => perJob.get(id) ?? 0)).toEqual(jobIds.map(() => 1));
    for (const r of all) {
      const want = renamed.get(r.id)!;
      const [row] = await withTenant(r.id, (tx) => tx.select({ name: products.name }).from(products).where(eq(products.posterIngredientId, want.ingredientId)));
      expect(row?.name).toBe(want.name);
    }
    expect(statuses["200 duplicate"]).toBeGreaterThan(0);

    recordScale("duplicates", {
      webhooks: delivered.length,
      webhook_deliveries: delivered.length * COPIES,
      webhook_events: delivered.length,
      jobs: jobIds.length,
      job_deliveries: deliveries,
      job_answers: statuses,
      sync_runs: runs.length,
      seconds: round((performance.now() - started) / 1000),
    });
  });
});
