import { metrics, type Histogram } from "@opentelemetry/api";
import { lt } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { metricRollups } from "@/db/schema";
import { observeTransactions, withPlatform } from "@/db/scope";
import { log } from "./log";

/**
 * Every tRPC procedure, route handler, job kind, Poster method (and tenant/platform transaction) records its
 * duration and outcome here, twice:
 * - into OpenTelemetry (`rc.operation.duration`, ms): a no-op until server/observability/otel.ts registers an
 *   exporter from the standard OTEL_EXPORTER_OTLP_* variables;
 * - into an in-memory per-minute rollup (count, errors, a log-scale histogram) that is written to Postgres in one
 *   insert per minute for the admin console (metric_rollups), pruned after 30 days.
 * Recording is a map lookup and a few additions; nothing waits for the database.
 */
export type OperationKind = "procedure" | "route" | "job" | "poster" | "db";
/** "refused": an expected outcome (validation, FORBIDDEN, NOT_FOUND, a paused restaurant), not a service error. */
export type OperationOutcome = "ok" | "refused" | "error";

/** Bucket i holds durations in (MIN·G^(i-1), MIN·G^i] ms: ±4 % on every percentile, about 200 buckets up to 10 min. */
const GROWTH = 1.08;
const LOG_GROWTH = Math.log(GROWTH);
const MIN_MS = 0.01;
const MINUTE_MS = 60_000;
/** Minutes kept in memory while Postgres refuses the insert (then the oldest are dropped, and the log says so). */
const MAX_PENDING_MINUTES = 30;
export const METRICS_RETENTION_MS = 30 * 86_400_000;

export function bucketOf(ms: number): number {
  return ms <= MIN_MS ? 0 : Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH);
}

/** A bucket's representative duration: the geometric middle of its range. */
export function bucketValue(bucket: number): number {
  return bucket <= 0 ? MIN_MS : MIN_MS * GROWTH ** (bucket - 0.5);
}

/** The q-quantile (0–1) of a histogram (bucket → count), capped by the largest duration seen when known. */
export function quantile(buckets: Iterable<[number, number]>, count: number, q: number, maxMs = Infinity): number {
  if (count <= 0) return 0;
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (const [bucket, n] of sorted) {
    seen += n;
    if (seen >= rank) return Math.min(bucketValue(bucket), maxMs);
  }
  return Math.min(bucketValue(sorted.at(-1)?.[0] ?? 0), maxMs);
}

interface Cell {
  kind: OperationKind;
  name: string;
  count: number;
  errors: number;
  sumMs: number;
  maxMs: number;
  buckets: Map<number, number>;
}

interface ClosedMinute {
  minute: number;
  cells: Cell[];
}

export type RollupRow = typeof metricRollups.$inferInsert;

/** The rows one closed minute becomes. */
export function rollupRows(closed: ClosedMinute): RollupRow[] {
  return closed.cells.map((c) => ({
    minute: new Date(closed.minute),
    kind: c.kind,
    name: c.name,
    count: c.count,
    errors: c.errors,
    sumMs: round(c.sumMs),
    maxMs: round(c.maxMs),
    p50Ms: round(quantile(c.buckets, c.count, 0.5, c.maxMs)),
    p95Ms: round(quantile(c.buckets, c.count, 0.95, c.maxMs)),
    p99Ms: round(quantile(c.buckets, c.count, 0.99, c.maxMs)),
    buckets: Object.fromEntries(c.buckets),
  }));
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export type RollupWriter = (rows: RollupRow[]) => Promise<void>;

const writeToPostgres: RollupWriter = async (rows) => {
  await withPlatform("metrics", (tx) => tx.insert(metricRollups).values(rows));
};

export class MetricsRecorder {
  private minute = -1;
  private cells = new Map<string, Cell>();
  private pending: ClosedMinute[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private histogram: Histogram | null = null;

  constructor(
    private writer: RollupWriter = writeToPostgres,
    private readonly now: () => number = Date.now,
  ) {}

  record(kind: OperationKind, name: string, ms: number, outcome: OperationOutcome): void {
    const at = this.now();
    const minute = at - (at % MINUTE_MS);
    if (minute !== this.minute) this.roll(minute);
    const key = `${kind}\u0000${name}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { kind, name, count: 0, errors: 0, sumMs: 0, maxMs: 0, buckets: new Map() };
      this.cells.set(key, cell);
    }
    cell.count++;
    if (outcome === "error") cell.errors++;
    cell.sumMs += ms;
    if (ms > cell.maxMs) cell.maxMs = ms;
    const bucket = bucketOf(ms);
    cell.buckets.set(bucket, (cell.buckets.get(bucket) ?? 0) + 1);
    this.histogram ??= metrics.getMeter("restaurant-checklist").createHistogram("rc.operation.duration", {
      unit: "ms",
      description: "Duration of tRPC procedures, route handlers, jobs, Poster calls and database transactions",
    });
    this.histogram.record(ms, { "rc.kind": kind, "rc.name": name, "rc.outcome": outcome });
    this.ensureTimer();
  }

  /** A meter provider was registered (otel.ts): instruments are created again from it. */
  resetInstruments(): void {
    this.histogram = null;
  }

  /** Closes the current minute when it has ended (or always, with `all`) and writes every closed minute. */
  flush(options: { all?: boolean } = {}): Promise<void> {
    const at = this.now();
    if (this.cells.size > 0 && (options.all || at - this.minute >= MINUTE_MS)) this.roll(at - (at % MINUTE_MS) + (options.all ? MINUTE_MS : 0));
    // One flush at a time; a second caller waits for it, then writes what closed meanwhile.
    const run = async (): Promise<void> => {
      await this.flushing;
      const batch = this.pending.splice(0);
      if (batch.length === 0) return;
      const rows = batch.flatMap(rollupRows);
      try {
        await this.writer(rows);
      } catch (error) {
        // Kept for the next flush (Postgres may be back), but bounded: metrics must never grow without limit.
        this.pending.unshift(...batch);
        const dropped = this.pending.length - MAX_PENDING_MINUTES;
        if (dropped > 0) this.pending.splice(0, dropped);
        log.warn("metrics rollup not written", { minutes: batch.length, dropped: Math.max(0, dropped), error });
      }
    };
    const flushing = run().finally(() => {
      if (this.flushing === flushing) this.flushing = null;
    });
    this.flushing = flushing;
    return flushing;
  }

  /** Tests: another writer (or clock) and nothing left over from earlier recordings. */
  reset(writer: RollupWriter = writeToPostgres): void {
    this.writer = writer;
    this.cells.clear();
    this.pending = [];
    this.minute = -1;
  }

  private roll(minute: number): void {
    if (this.cells.size > 0) {
      this.pending.push({ minute: this.minute, cells: [...this.cells.values()] });
      this.cells = new Map();
    }
    this.minute = minute;
  }

  /** Wakes a few seconds after each minute ends; unref'd, so it never keeps a process or a test run alive. */
  private ensureTimer(): void {
    if (this.timer) return;
    const at = this.now();
    const delay = MINUTE_MS - (at % MINUTE_MS) + 2_000 + Math.floor(Math.random() * 3_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay).unref();
  }
}

const KEY = Symbol.for("restaurant-checklist.metrics");
type Holder = { [KEY]?: MetricsRecorder };

/** One recorder per process (on globalThis: dev hot reloads and the route bundles share it). */
export function metricsRecorder(): MetricsRecorder {
  const holder = globalThis as Holder;
  holder[KEY] ??= new MetricsRecorder();
  return holder[KEY];
}

export function recordOperation(kind: OperationKind, name: string, ms: number, outcome: OperationOutcome): void {
  metricsRecorder().record(kind, name, ms, outcome);
}

// DB time: every tenant and platform transaction (but the rollup's own insert, which would record itself forever).
// A transaction rolled back by a refusal is an outcome; one that Postgres failed (an SQLSTATE) is an error.
observeTransactions((scope, ms, error) => {
  if (scope !== "platform.metrics") recordOperation("db", scope, ms, !error ? "ok" : isDatabaseError(error) ? "error" : "refused");
});

function isDatabaseError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 3) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return true;
  return isDatabaseError((err as { cause?: unknown }).cause, depth + 1);
}

/** Writes everything recorded so far (tests, and a process about to stop). */
export function flushMetrics(): Promise<void> {
  return metricsRecorder().flush({ all: true });
}

/** Times `fn` as one operation; `outcomeOf` classifies a thrown error (default: every throw is an error). */
export async function measure<T>(
  kind: OperationKind,
  name: string,
  fn: () => Promise<T>,
  outcomeOf: (err: unknown) => OperationOutcome = () => "error",
): Promise<T> {
  const started = performance.now();
  try {
    const result = await fn();
    recordOperation(kind, name, performance.now() - started, "ok");
    return result;
  } catch (err) {
    recordOperation(kind, name, performance.now() - started, outcomeOf(err));
    throw err;
  }
}

/** The jobs.cleanup part: rollup rows older than 30 days go. */
export async function pruneMetricRollups(tx: Tx, now = new Date()): Promise<number> {
  const deleted = await tx
    .delete(metricRollups)
    .where(lt(metricRollups.minute, new Date(now.getTime() - METRICS_RETENTION_MS)))
    .returning({ id: metricRollups.id });
  return deleted.length;
}
