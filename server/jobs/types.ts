import type { jobs } from "@/db/schema";

/** Every kind of background work. The route of a kind is its name with "." → "-" (/api/jobs/sync-full). */
export const JOB_KINDS = ["sync.full", "sync.targeted", "sync.dispatch", "tokens.check", "tokens.notify", "supply.post", "jobs.cleanup", "backup.run", "export.restaurant", "alerts.check"] as const;
export type BuiltinJobKind = (typeof JOB_KINDS)[number];
/** Tests register their own probe kinds; production code uses the builtin ones. */
export type JobKind = BuiltinJobKind | `test.${string}`;

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = JobRow["status"];

export interface JobProgress {
  done: number;
  total: number;
  label?: string;
}

export interface JobContext {
  jobId: string;
  kind: JobKind;
  restaurantId: string | null;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** Stored on the job row for the UI; cheap to call, but call it per chunk, not per row. */
  reportProgress(done: number, total: number, label?: string): Promise<void>;
}

/**
 * A handler must be idempotent: QStash delivers at least once and the runner retries after a crash, so a second
 * run of the same job (or of a job with the same effect) must not do the work twice.
 */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void>;

/**
 * How a key deduplicates: `while-active` joins a queued or running job and lets a new one start once it ended
 * ("Sync now" twice); `until-success` also returns a job that already succeeded (one sync per restaurant and
 * period, one supply per receipt), while a failed or dead one may be enqueued again.
 */
export type DedupMode = "while-active" | "until-success";

/** The payload key that carries the enqueuing request's id into the job's execution (removed before the handler). */
export const REQUEST_ID_KEY = "_requestId";

export interface EnqueueJobInput {
  kind: JobKind;
  restaurantId: string | null;
  payload?: Record<string, unknown>;
  dedupKey: string;
  dedup?: DedupMode;
  /** QStash flow-control key, the Poster account number: no account gets more than its share. */
  flowKey?: string;
  delaySeconds?: number;
  maxAttempts?: number;
}

export interface EnqueueJobResult {
  jobId: string;
  /** True when an existing job with the same dedupKey was returned instead of a new one. */
  joined: boolean;
}

/** A failure that trying again cannot fix (bad payload, missing restaurant): the job fails without retries. */
export class PermanentJobError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/**
 * Retry unless the error, or one it wraps (a failed sync wraps the Poster error), says it cannot help:
 * PermanentJobError, Poster's auth/permission/API errors. Unknown errors (network, database) are retried.
 */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return true;
  if ("retryable" in err && typeof err.retryable === "boolean") return err.retryable;
  return "cause" in err ? isRetryable(err.cause, depth + 1) : true;
}

export const jobRoute = (kind: string) => kind.replace(/\./g, "-");
export const kindFromRoute = (route: string) => route.replace(/-/g, ".");
