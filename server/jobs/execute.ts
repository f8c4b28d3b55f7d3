import { log } from "@/server/observability/log";
import { getJobHandler } from "./registry";
import { describeError, recordOutcome, saveProgress, type Outcome } from "./store";
import { isRetryable, type JobKind, type JobRow } from "./types";

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
 * Runs the handler of a job this process has claimed (status running, attempts already counted) and records
 * the outcome. Both backends end here: the in-process runner, and the QStash endpoint (which answers 5xx for
 * "queued" so QStash retries, 200 otherwise).
 */
export async function runClaimedJob(row: JobRow, backoff: BackoffOptions = DEFAULT_BACKOFF): Promise<Outcome> {
  const jobLog = log.child({ jobId: row.id, kind: row.kind, restaurantId: row.restaurantId, attempt: row.attempts });
  const handler = getJobHandler(row.kind);
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
        reportProgress: (done, total, label) => saveProgress(row.id, { done, total, ...(label ? { label } : {}) }),
      });
      outcome = { status: "succeeded", result: result ?? null };
      jobLog.info("job succeeded", { ms: Date.now() - started });
    } catch (err) {
      const error = describeError(err);
      if (!isRetryable(err)) outcome = { status: "failed", error };
      else if (row.attempts >= row.maxAttempts) outcome = { status: "dead", error };
      else outcome = { status: "queued", error, retryAt: new Date(Date.now() + retryDelayMs(row.attempts, backoff)) };
      jobLog.warn("job attempt failed", { ms: Date.now() - started, next: outcome.status, error });
    }
  }
  await recordOutcome(row.id, outcome);
  return outcome;
}
