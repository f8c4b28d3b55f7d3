import { and, asc, eq, inArray, isNotNull, lt, lte, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { redactSecrets } from "@/server/poster/errors";
import type { EnqueueJobInput, JobProgress, JobRow } from "./types";

/** A run that held a job longer than this is taken to have died with its process (Vercel's cap is 300 s). */
export const JOB_LEASE_MS = 10 * 60_000;

/**
 * Inserts the job, or returns the one that already holds the dedup key (see DedupMode). A finished job that may
 * be repeated gives its key up (renamed `<key>#<id>`), so the unique index keeps exactly one live job per key.
 */
export async function insertOrJoin(tx: Tx, input: EnqueueJobInput): Promise<{ row: JobRow; joined: boolean }> {
  const [existing] = await tx.select().from(jobs).where(eq(jobs.dedupKey, input.dedupKey)).for("update");
  if (existing) {
    const active = existing.status === "queued" || existing.status === "running";
    if (active || (existing.status === "succeeded" && input.dedup === "until-success")) return { row: existing, joined: true };
    await tx.update(jobs).set({ dedupKey: `${existing.dedupKey}#${existing.id}` }).where(eq(jobs.id, existing.id));
  }
  const runAfter = new Date(Date.now() + Math.max(0, input.delaySeconds ?? 0) * 1000);
  const [inserted] = await tx
    .insert(jobs)
    .values({
      kind: input.kind,
      restaurantId: input.restaurantId,
      dedupKey: input.dedupKey,
      payload: input.payload ?? {},
      maxAttempts: input.maxAttempts ?? 5,
      runAfter,
    })
    .onConflictDoNothing({ target: jobs.dedupKey })
    .returning();
  if (inserted) return { row: inserted, joined: false };
  // A concurrent enqueue won the key between our select and insert: join it.
  const [winner] = await tx.select().from(jobs).where(eq(jobs.dedupKey, input.dedupKey));
  if (!winner) throw new Error(`Job ${input.dedupKey} is neither insertable nor visible`);
  return { row: winner, joined: true };
}

export type ClaimResult = { claimed: JobRow } | { claimed: null; current: JobRow | null };

/** QStash delivery: take one job by id (queued, or running with an expired lease). */
export async function claimJobById(jobId: string, kind: string): Promise<ClaimResult> {
  return withPlatform("jobs", async (tx) => {
    const [claimed] = await tx
      .update(jobs)
      .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, startedAt: new Date(), finishedAt: null })
      .where(and(eq(jobs.id, jobId), eq(jobs.kind, kind), or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.startedAt, leaseCutoff())))))
      .returning();
    if (claimed) return { claimed };
    const [current] = await tx.select().from(jobs).where(eq(jobs.id, jobId));
    return { claimed: null, current: current ?? null };
  });
}

const leaseCutoff = () => new Date(Date.now() - JOB_LEASE_MS);

/**
 * In-process runner: claims up to `limit` due jobs with FOR UPDATE SKIP LOCKED (several server processes may
 * poll the same table), at most `perFlow` running per restaurant (= per Poster account). Runs whose process
 * died are requeued first (or marked dead when their budget is spent).
 */
export async function claimDueJobs(limit: number, perFlow: number): Promise<JobRow[]> {
  if (limit <= 0) return [];
  return withPlatform("jobs", async (tx) => {
    await tx
      .update(jobs)
      .set({
        status: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then 'dead'::job_status else 'queued'::job_status end`,
        error: "The process running this job stopped; it was requeued.",
      })
      .where(and(eq(jobs.status, "running"), lt(jobs.startedAt, leaseCutoff())));
    const running = await tx
      .select({ restaurantId: jobs.restaurantId, n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(and(eq(jobs.status, "running"), isNotNull(jobs.restaurantId)))
      .groupBy(jobs.restaurantId);
    const busy = new Map(running.map((r) => [r.restaurantId as string, Number(r.n)]));
    const candidates = await tx
      .select({ id: jobs.id, restaurantId: jobs.restaurantId })
      .from(jobs)
      .where(and(eq(jobs.status, "queued"), lte(jobs.runAfter, new Date())))
      .orderBy(asc(jobs.runAfter), asc(jobs.createdAt))
      .limit(limit * 5)
      .for("update", { skipLocked: true });
    const chosen: string[] = [];
    for (const c of candidates) {
      if (chosen.length >= limit) break;
      if (c.restaurantId) {
        const n = busy.get(c.restaurantId) ?? 0;
        if (n >= perFlow) continue;
        busy.set(c.restaurantId, n + 1);
      }
      chosen.push(c.id);
    }
    if (chosen.length === 0) return [];
    return tx
      .update(jobs)
      .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, startedAt: new Date(), finishedAt: null })
      .where(inArray(jobs.id, chosen))
      .returning();
  });
}

export async function saveProgress(jobId: string, progress: JobProgress): Promise<void> {
  await withPlatform("jobs", (tx) => tx.update(jobs).set({ progress }).where(eq(jobs.id, jobId)));
}

export type Outcome =
  | { status: "succeeded"; result: Record<string, unknown> | null }
  | { status: "failed" | "dead"; error: string }
  | { status: "queued"; error: string; retryAt: Date };

/** Errors are stored for the UI and the admin area: never with a token in them. */
export function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message).slice(0, 2000);
}

export async function recordOutcome(jobId: string, outcome: Outcome): Promise<void> {
  await withPlatform("jobs", async (tx) => {
    if (outcome.status === "succeeded") {
      await tx.update(jobs).set({ status: "succeeded", result: outcome.result, error: null, finishedAt: new Date() }).where(eq(jobs.id, jobId));
    } else if (outcome.status === "queued") {
      await tx.update(jobs).set({ status: "queued", error: outcome.error, runAfter: outcome.retryAt }).where(eq(jobs.id, jobId));
    } else {
      await tx.update(jobs).set({ status: outcome.status, error: outcome.error, finishedAt: new Date() }).where(eq(jobs.id, jobId));
    }
  });
}

export async function deleteJob(jobId: string): Promise<void> {
  await withPlatform("jobs", (tx) => tx.delete(jobs).where(eq(jobs.id, jobId)));
}
