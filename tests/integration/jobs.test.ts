import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { jobs } from "@/db/schema";
import { POST as jobRoute } from "@/app/api/jobs/[kind]/route";
import { resetEnvForTests } from "@/server/env";
import { currentContext, runWithContext } from "@/server/observability/context";
import { enqueueJob, JobRunner, PermanentJobError, registerJobHandler, unregisterJobHandler, type JobKind } from "@/server/jobs";
import { reportError } from "@/server/observability/report";
import { closeDatabase, createRestaurant, openTestDatabase, testDatabaseKind } from "../support/database";
import { signQstash, waitFor } from "../support/jobs";

// What a job that gives up sends to Sentry (the transport and scrubbing are tested in tests/unit/infra/error-reports).
vi.mock("@/server/observability/report", async (original) => ({ ...(await original<Record<string, unknown>>()), reportError: vi.fn() }));

/** Opening the embedded database migrates it: slow on a busy machine. */
const OPEN_TIMEOUT_MS = 180_000;

/** Runs a started runner until `done` holds (retries wait for their backoff, so "nothing due" is not the end). */
async function runUntil(runner: JobRunner, done: () => Promise<boolean>, timeoutMs = 5_000) {
  runner.start();
  try {
    await waitFor(done, timeoutMs, 20);
  } finally {
    await runner.stop();
  }
}

const APP_URL = "https://checklist.example.com";
const CURRENT = "sig_current_0123456789abcdef";
const NEXT = "sig_next_fedcba9876543210";

const unique = () => Math.random().toString(36).slice(2, 10);
const jobRow = async (id: string) => (await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.id, id))))[0]!;

/** A QStash delivery of `body` to the job route of `kind`, signed as QStash would (or not). */
function delivery(kind: string, body: string, sign: { key?: string; url?: string; expiresIn?: number; bodyOverride?: string } | null, headers: Record<string, string> = {}) {
  const route = kind.replace(/\./g, "-");
  const url = sign?.url ?? `${APP_URL}/api/jobs/${route}`;
  const h = new Headers({ "content-type": "application/json", ...headers });
  if (sign) h.set("upstash-signature", signQstash({ body: sign.bodyOverride ?? body, url, key: sign.key ?? CURRENT, ...(sign.expiresIn !== undefined ? { expiresIn: sign.expiresIn } : {}) }));
  // The request arrives on an internal host: the route must verify against APP_URL, not this.
  const request = new Request(`http://10.0.0.7:3000/api/jobs/${route}`, { method: "POST", headers: h, body });
  return jobRoute(request, { params: Promise.resolve({ kind: route }) });
}

describe(`jobs (${testDatabaseKind()})`, () => {
  const saved = { ...process.env };
  const kinds: JobKind[] = [];
  /** Registers a probe handler under a fresh test kind. */
  const probe = (handler: Parameters<typeof registerJobHandler>[1]): JobKind => {
    const kind = `test.probe${unique().replace(/[^a-z]/g, "")}x` as JobKind;
    registerJobHandler(kind, handler);
    kinds.push(kind);
    return kind;
  };

  beforeAll(async () => {
    await openTestDatabase();
    Object.assign(process.env, { APP_URL, QSTASH_CURRENT_SIGNING_KEY: CURRENT, QSTASH_NEXT_SIGNING_KEY: NEXT });
    delete process.env.QSTASH_TOKEN;
    resetEnvForTests();
  }, OPEN_TIMEOUT_MS);
  afterEach(() => {
    for (const k of kinds.splice(0)) unregisterJobHandler(k);
  });
  afterAll(async () => {
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  describe("enqueue and dedup", () => {
    it("joins a queued job with the same key, and starts a new one once it finished", async () => {
      let runs = 0;
      const kind = probe(async () => {
        runs++;
        return { ok: true };
      });
      const r = await createRestaurant();
      const key = `probe:${unique()}`;
      const first = await enqueueJob({ kind, restaurantId: r.id, dedupKey: key });
      const second = await enqueueJob({ kind, restaurantId: r.id, dedupKey: key });
      expect(first.joined).toBe(false);
      expect(second).toEqual({ jobId: first.jobId, joined: true });
      await new JobRunner({ pollMs: 20 }).idle();
      expect(runs).toBe(1);
      expect(await jobRow(first.jobId)).toMatchObject({ status: "succeeded", attempts: 1, result: { ok: true } });

      const third = await enqueueJob({ kind, restaurantId: r.id, dedupKey: key });
      expect(third.joined).toBe(false);
      expect(third.jobId).not.toBe(first.jobId);
      // "until-success" keeps answering with the job that already succeeded.
      await new JobRunner({ pollMs: 20 }).idle();
      const fourth = await enqueueJob({ kind, restaurantId: r.id, dedupKey: key, dedup: "until-success" });
      expect(fourth).toEqual({ jobId: third.jobId, joined: true });
      expect(runs).toBe(2);
    });

    it("rejects a malformed enqueue", async () => {
      await expect(enqueueJob({ kind: "sync.full", restaurantId: "not-a-uuid", dedupKey: "x" })).rejects.toThrow();
      await expect(enqueueJob({ kind: "sync.full", restaurantId: null, dedupKey: "" })).rejects.toThrow();
    });
  });

  describe("in-process runner", () => {
    it("retries a failing job with backoff until it succeeds", async () => {
      const seen: number[] = [];
      const kind = probe(async (ctx) => {
        seen.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error("Poster is down");
        await ctx.reportProgress(3, 3, "done");
      });
      const { jobId } = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}`, maxAttempts: 5 });
      const started = Date.now();
      await runUntil(new JobRunner({ pollMs: 10, backoff: { baseMs: 40, maxMs: 200 } }), async () => (await jobRow(jobId)).status === "succeeded");
      expect(seen).toEqual([1, 2, 3]);
      // Backoff: at least 0.5·40 + 0.5·80 ms between the attempts.
      expect(Date.now() - started).toBeGreaterThanOrEqual(60);
      expect(await jobRow(jobId)).toMatchObject({ status: "succeeded", attempts: 3, error: null, progress: { done: 3, total: 3, label: "done" } });
    });

    it("marks a job dead when its retry budget is spent, and failed at once on a permanent error", async () => {
      const always = probe(async () => {
        throw new Error("still down, token=100001:5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b");
      });
      const permanent = probe(async () => {
        throw new PermanentJobError("bad payload");
      });
      const dead = await enqueueJob({ kind: always, restaurantId: null, dedupKey: `probe:${unique()}`, maxAttempts: 2 });
      const failed = await enqueueJob({ kind: permanent, restaurantId: null, dedupKey: `probe:${unique()}`, maxAttempts: 5 });
      await runUntil(new JobRunner({ pollMs: 10, backoff: { baseMs: 10, maxMs: 20 } }), async () => (await jobRow(dead.jobId)).status === "dead");
      const deadRow = await jobRow(dead.jobId);
      expect(deadRow).toMatchObject({ status: "dead", attempts: 2 });
      expect(deadRow.error).toContain("still down");
      expect(deadRow.error).not.toContain("5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b");
      expect(await jobRow(failed.jobId)).toMatchObject({ status: "failed", attempts: 1, error: "bad payload" });
    });

    it("reports a job to Sentry once, when it gives up (not on each retry), tagged with its id and kind", async () => {
      vi.mocked(reportError).mockClear();
      const flaky = probe(async () => {
        throw new Error("a bug in the handler");
      });
      const restaurant = await createRestaurant();
      const job = await enqueueJob({ kind: flaky, restaurantId: restaurant.id, dedupKey: `probe:${unique()}`, maxAttempts: 3 });
      await runUntil(new JobRunner({ pollMs: 10, backoff: { baseMs: 10, maxMs: 20 } }), async () => (await jobRow(job.jobId)).status === "dead");
      const reports = vi.mocked(reportError).mock.calls.filter(([, context]) => context?.jobId === job.jobId);
      expect(reports).toHaveLength(1);
      expect(reports[0]![1]).toEqual({ jobId: job.jobId, jobKind: flaky, restaurantId: restaurant.id });
      expect((reports[0]![0] as Error).message).toBe("a bug in the handler");
    });

    it("carries the enqueuing request's id into the job's execution (context, not the handler's payload)", async () => {
      const seen: { payload: Record<string, unknown>; context: ReturnType<typeof currentContext> }[] = [];
      const kind = probe(async (ctx) => {
        seen.push({ payload: ctx.payload, context: { ...currentContext()! } });
      });
      const { jobId } = await runWithContext({ requestId: "req-propagated-1" }, () =>
        enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}`, payload: { trigger: "manual" } }),
      );
      await runUntil(new JobRunner({ pollMs: 10 }), async () => (await jobRow(jobId)).status === "succeeded");
      expect(seen).toEqual([{ payload: { trigger: "manual" }, context: { requestId: "req-propagated-1", jobId, jobKind: kind, restaurantId: null } }]);
    });

    it("runs at most one job per restaurant at a time, and different restaurants in parallel", async () => {
      let running = new Map<string, number>();
      let maxSame = 0;
      let maxAll = 0;
      const kind = probe(async (ctx) => {
        const id = ctx.restaurantId!;
        running.set(id, (running.get(id) ?? 0) + 1);
        maxSame = Math.max(maxSame, running.get(id)!);
        maxAll = Math.max(maxAll, [...running.values()].reduce((a, b) => a + b, 0));
        await new Promise((r) => setTimeout(r, 60));
        running.set(id, running.get(id)! - 1);
      });
      const a = await createRestaurant();
      const b = await createRestaurant();
      for (let i = 0; i < 3; i++) {
        await enqueueJob({ kind, restaurantId: a.id, dedupKey: `probe:${unique()}` });
        await enqueueJob({ kind, restaurantId: b.id, dedupKey: `probe:${unique()}` });
      }
      running = new Map();
      await new JobRunner({ pollMs: 10, concurrency: 4 }).idle();
      expect(maxSame).toBe(1);
      expect(maxAll).toBe(2);
    });

    it("does not deadlock when a handler reports progress from inside its tenant transaction (PGlite runs one at a time)", async () => {
      const r = await createRestaurant();
      const kind = probe(async (ctx) => {
        await withTenant(ctx.restaurantId!, async () => {
          for (let i = 1; i <= 3; i++) await ctx.reportProgress(i, 3, "apply");
        });
      });
      const { jobId } = await enqueueJob({ kind, restaurantId: r.id, dedupKey: `probe:${unique()}` });
      await new JobRunner({ pollMs: 10 }).idle(8_000);
      expect(await jobRow(jobId)).toMatchObject({ status: "succeeded", progress: { done: 3, total: 3, label: "apply" } });
    });

    it("requeues a job whose process died mid-run (expired lease)", async () => {
      let runs = 0;
      const kind = probe(async () => {
        runs++;
      });
      const { jobId } = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
      await withPlatform("test", (tx) =>
        tx.update(jobs).set({ status: "running", attempts: 1, startedAt: new Date(Date.now() - 3_600_000) }).where(eq(jobs.id, jobId)),
      );
      await new JobRunner({ pollMs: 10 }).idle();
      expect(runs).toBe(1);
      expect(await jobRow(jobId)).toMatchObject({ status: "succeeded", attempts: 2 });
    });
  });

  describe("QStash job endpoint", () => {
    const bodyFor = (jobId: string) => JSON.stringify({ jobId });

    it("accepts a delivery signed with the current or the next key, verifying against APP_URL", async () => {
      let runs = 0;
      const kind = probe(async () => {
        runs++;
        return { done: true };
      });
      const one = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
      const res = await delivery(kind, bodyFor(one.jobId), { key: CURRENT });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "succeeded" });
      const two = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
      expect((await delivery(kind, bodyFor(two.jobId), { key: NEXT })).status).toBe(200);
      expect(runs).toBe(2);
      expect(await jobRow(two.jobId)).toMatchObject({ status: "succeeded", attempts: 1, result: { done: true } });
    });

    it("answers 401 to a tampered body, another URL, an expired token, a wrong key or no signature, and runs nothing", async () => {
      let runs = 0;
      const kind = probe(async () => {
        runs++;
      });
      const { jobId } = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
      const body = bodyFor(jobId);
      const cases = [
        delivery(kind, body, { bodyOverride: JSON.stringify({ jobId: "00000000-0000-4000-8000-000000000000" }) }),
        delivery(kind, body, { url: `http://10.0.0.7:3000/api/jobs/${kind.replace(/\./g, "-")}` }),
        delivery(kind, body, { url: `${APP_URL}/api/jobs/sync-full` }),
        delivery(kind, body, { expiresIn: -120 }),
        delivery(kind, body, { key: "sig_someone_else_000000000000" }),
        delivery(kind, body, null),
        delivery(kind, body, null, { "upstash-signature": "not.a.jwt" }),
      ];
      for (const res of await Promise.all(cases)) expect(res.status).toBe(401);
      expect(runs).toBe(0);
      expect(await jobRow(jobId)).toMatchObject({ status: "queued", attempts: 0 });
    });

    it("answers 5xx on a retryable failure (QStash retries), 200 on a permanent one", async () => {
      const flaky = probe(async (ctx) => {
        if (ctx.attempt === 1) throw new Error("Poster timed out");
      });
      const broken = probe(async () => {
        throw new PermanentJobError("no such restaurant");
      });
      const a = await enqueueJob({ kind: flaky, restaurantId: null, dedupKey: `probe:${unique()}` });
      const first = await delivery(flaky, bodyFor(a.jobId), {});
      expect(first.status).toBe(500);
      expect(await jobRow(a.jobId)).toMatchObject({ status: "queued", attempts: 1 });
      const retry = await delivery(flaky, bodyFor(a.jobId), {}, { "upstash-retried": "1" });
      expect(retry.status).toBe(200);
      expect(await jobRow(a.jobId)).toMatchObject({ status: "succeeded", attempts: 2 });

      const b = await enqueueJob({ kind: broken, restaurantId: null, dedupKey: `probe:${unique()}` });
      const res = await delivery(broken, bodyFor(b.jobId), {});
      expect(res.status).toBe(200);
      expect(await jobRow(b.jobId)).toMatchObject({ status: "failed", attempts: 1 });
    });

    it("has one effect for a duplicate delivery and for a duplicate enqueue of the same supply posting", async () => {
      // A probe shaped like supply.post: the effect is one "supply" per posting id.
      const supplies: string[] = [];
      const kind = probe(async (ctx) => {
        supplies.push(String(ctx.payload.postingId));
        return { supplyId: supplies.length };
      });
      const r = await createRestaurant();
      const postingId = crypto.randomUUID();
      const enqueue = () => enqueueJob({ kind, restaurantId: r.id, payload: { postingId }, dedupKey: `supply:${postingId}`, dedup: "until-success" });
      const first = await enqueue();
      const body = bodyFor(first.jobId);
      const [d1, d2] = [await delivery(kind, body, {}), await delivery(kind, body, {}, { "upstash-retried": "1" })];
      expect(d1.status).toBe(200);
      expect(d2.status).toBe(200);
      expect(await d2.json()).toEqual({ status: "succeeded", duplicate: true });
      expect((await enqueue()).jobId).toBe(first.jobId);
      await new JobRunner({ pollMs: 10 }).idle();
      expect(supplies).toEqual([postingId]);
    });

    it("answers 409 while another delivery runs the job, 404 for an unknown kind, 400 for a job of another kind", async () => {
      const kind = probe(async () => undefined);
      const other = probe(async () => undefined);
      const { jobId } = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
      await withPlatform("test", (tx) => tx.update(jobs).set({ status: "running", startedAt: new Date() }).where(eq(jobs.id, jobId)));
      expect((await delivery(kind, bodyFor(jobId), {})).status).toBe(409);
      expect((await delivery(other, bodyFor(jobId), {})).status).toBe(400);
      expect((await delivery("test.nothing", bodyFor(jobId), {})).status).toBe(404);
    });

    it("runs a scheduled delivery once per QStash message", async () => {
      const body = JSON.stringify({ schedule: "jobs-cleanup" });
      const messageId = `msg_${unique()}`;
      const a = await delivery("jobs.cleanup", body, {}, { "upstash-message-id": messageId });
      const b = await delivery("jobs.cleanup", body, {}, { "upstash-message-id": messageId });
      expect(a.status).toBe(200);
      expect(await a.json()).toEqual({ status: "succeeded" });
      expect(await b.json()).toEqual({ status: "succeeded", duplicate: true });
      const rows = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.dedupKey, `schedule:jobs-cleanup:${messageId}`)));
      expect(rows).toHaveLength(1);
      expect((await delivery("jobs.cleanup", JSON.stringify({ schedule: "sync-dispatch" }), {})).status).toBe(400);
    });
  });

  describe("QStash backend", () => {
    it("publishes an enqueued job and runs it when QStash delivers it; a failed publish leaves no job behind", async () => {
      const published: Array<{ url: string; body: string; dedupId: string | undefined }> = [];
      let failNext = false;
      const standIn = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          if (failNext) {
            failNext = false;
            res.writeHead(400, { "content-type": "application/json" });
            return res.end(JSON.stringify({ error: "invalid destination" }));
          }
          published.push({ url: (req.url ?? "").replace("/v2/publish/", ""), body: Buffer.concat(chunks).toString(), dedupId: req.headers["upstash-deduplication-id"] as string | undefined });
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ messageId: `msg_${published.length}` }));
        });
      });
      await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
      Object.assign(process.env, { QSTASH_TOKEN: "qstash-test", QSTASH_URL: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}` });
      resetEnvForTests();
      try {
        let runs = 0;
        const kind = probe(async () => {
          runs++;
        });
        const { jobId } = await enqueueJob({ kind, restaurantId: null, dedupKey: `probe:${unique()}` });
        expect(published).toEqual([{ url: `${APP_URL}/api/jobs/${kind.replace(/\./g, "-")}`, body: JSON.stringify({ jobId }), dedupId: jobId }]);
        // QStash delivers the published body, signed, to the published URL.
        const res = await delivery(kind, published[0]!.body, {});
        expect(res.status).toBe(200);
        expect(runs).toBe(1);
        expect(await jobRow(jobId)).toMatchObject({ status: "succeeded" });

        failNext = true;
        const key = `probe:${unique()}`;
        await expect(enqueueJob({ kind, restaurantId: null, dedupKey: key })).rejects.toThrow();
        expect(await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.dedupKey, key)))).toHaveLength(0);
      } finally {
        delete process.env.QSTASH_TOKEN;
        delete process.env.QSTASH_URL;
        resetEnvForTests();
        standIn.close();
      }
    });
  });
});
