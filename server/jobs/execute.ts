import { randomUUID } from "node:crypto";
import { runWithContext } from "@/server/observability/context";
import { log } from "@/server/observability/log";
import { recordOperation } from "@/server/observability/metrics";
import { isExpectedError, reportError } from "@/server/observability/report";
import { getJobHandler } from "./registry";
import { describeError, recordOutcome, saveProgress, type Outcome } from "./store";
import { isRetryable, REQUEST_ID_KEY, type JobKind, type JobProgress, type JobRow } from "./types";

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 10 * 60_000 };

/** Exponential backoff with jitter: base·2^(attempt-1), capped, then scaled by a random 0.5–1.0. */
export function retryDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random() * 0.5));
}

/**
 * Progress is written in the background, newest value wins: a handler reports from inside its own tenant
 * transaction, and the embedded database runs one transaction at a time, so waiting for the write there would
 * deadlock (and would slow the work down everywhere else).
 */
function progressWriter(jobId: string) {
  let latest: JobProgress | null = null;
  let writing: Promise<void> | null = null;
  const drain = async () => {
    while (latest) {
      const value = latest;
      latest = null;
      await saveProgress(jobId, value).catch((error: unknown) => log.warn("job progress not saved", { jobId, error }));
    }
    writing = null;
  };
  return {
    report(value: JobProgress) {
      latest = value;
      writing ??= drain();
    },
    flush: async () => {
      await writing;
    },
  };
}

/**
 * Runs the handler of a job this process has claimed (status running, attempts already counted) and records
 * the outcome. Both backends end here: the in-process runner, and the QStash endpoint (which answers 5xx for
 * "queued" so QStash retries, 200 otherwise).
 */
export function runClaimedJob(row: JobRow, backoff: BackoffOptions = DEFAULT_BACKOFF): Promise<Outcome> {
  // The request that enqueued the job (server/jobs/queue.ts) is named in every line and report of its execution.
  const { [REQUEST_ID_KEY]: requestId, ...payload } = row.payload;
  const work = {
    requestId: typeof requestId === "string" ? requestId : randomUUID(),
    jobId: row.id,
    jobKind: row.kind,
    restaurantId: row.restaurantId,
  };
  return runWithContext(work, () => runJob({ ...row, payload }, backoff));
}

async function runJob(row: JobRow, backoff: BackoffOptions): Promise<Outcome> {
  const jobLog = log.child({ jobId: row.id, kind: row.kind, restaurantId: row.restaurantId, attempt: row.attempts });
  const handler = getJobHandler(row.kind);
  const progress = progressWriter(row.id);
  const measured = performance.now();
  let expected = false;
  let outcome: Outcome;
  if (!handler) {
    outcome = { status: "failed", error: `No handler for job kind ${row.kind}` };
  } else {
    const started = Date.now();
    try {
      const result = await handler({
        jobId: row.id,
        kind: row.kind as JobKind,
        restaurantId: row.restaurantId,
        payload: row.payload,
        attempt: row.attempts,
        maxAttempts: row.maxAttempts,
        reportProgress: async (done, total, label) => progress.report({ done, total, ...(label ? { label } : {}) }),
      });
      await progress.flush();
      outcome = { status: "succeeded", result: result ?? null };
      jobLog.info("job succeeded", { ms: Date.now() - started });
    } catch (err) {
      await progress.flush();
      const error = describeError(err);
      expected = isExpectedError(err);
      if (!isRetryable(err)) outcome = { status: "failed", error };
      else if (row.attempts >= row.maxAttempts) outcome = { status: "dead", error };
      else outcome = { status: "queued", error, retryAt: new Date(Date.now() + retryDelayMs(row.attempts, backoff)) };
      jobLog.warn("job attempt failed", { ms: Date.now() - started, next: outcome.status, error });
      // One report when the job gives up (each retry is in the log): a bug, or Poster failing past the budget.
      if (outcome.status !== "queued") reportError(err, { jobId: row.id, jobKind: row.kind, restaurantId: row.restaurantId });
    }
  }
  // Each attempt of a kind: a retry counts as an error too (Poster failing and recovering shows up here).
  recordOperation("job", row.kind, performance.now() - measured, outcome.status === "succeeded" ? "ok" : outcome.status === "failed" && expected ? "refused" : "error");
  await recordOutcome(row.id, outcome);
  return outcome;
}
