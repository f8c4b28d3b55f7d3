import { log } from "@/server/observability/log";
import { DEFAULT_BACKOFF, runClaimedJob, type BackoffOptions } from "./execute";
import { claimDueJobs } from "./store";

export interface JobRunnerOptions {
  /** Jobs running at once in this process. Default 2 (the machines have 2 cores, the work is mostly I/O). */
  concurrency?: number;
  /** Jobs running at once per restaurant (= per Poster account). Default 1. */
  perFlow?: number;
  /** How often to look for due jobs (enqueueJob also wakes the runner at once). Default 1 s. */
  pollMs?: number;
  backoff?: BackoffOptions;
  /** Called at most every `periodicMs` (default 10 s): the schedules fire from here. */
  periodic?: () => Promise<void>;
  periodicMs?: number;
}

const runnerLog = log.child({ module: "jobs.runner" });

/**
 * The in-process backend (no QStash configured): polls the jobs table, claims due jobs with SKIP LOCKED, runs
 * them with the same handlers and outcome rules as the QStash endpoint, and retries with backoff.
 */
export class JobRunner {
  private readonly active = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<boolean> | null = null;
  private again = false;
  private stopped = true;
  private lastPeriodic = 0;
  private readonly opts: Required<Omit<JobRunnerOptions, "periodic">> & Pick<JobRunnerOptions, "periodic">;

  constructor(options: JobRunnerOptions = {}) {
    this.opts = {
      concurrency: options.concurrency ?? 2,
      perFlow: options.perFlow ?? 1,
      pollMs: options.pollMs ?? 1_000,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      periodic: options.periodic,
      periodicMs: options.periodicMs ?? 10_000,
    };
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.schedule(0);
    return this;
  }

  /** Look for work now (a job was just enqueued or finished). */
  kick(): void {
    if (this.stopped) return;
    if (this.current) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.active]);
  }

  /** Tests: wait until nothing runs and nothing is due (or the timeout passes). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.active.size > 0) await Promise.race([...this.active]);
      else {
        const claimedAny = await this.tick();
        if (!claimedAny && this.active.size === 0) return;
      }
    }
    throw new Error("job runner did not become idle in time");
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // Unref'd: a poll timer must not keep a test run or a script alive.
    this.timer = setTimeout(() => void this.tick(), ms).unref();
  }

  /** One poll; a call while one is in progress shares it. Resolves to whether it claimed any job. */
  private tick(): Promise<boolean> {
    this.current ??= this.poll().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async poll(): Promise<boolean> {
    let claimedAny = false;
    try {
      if (this.opts.periodic && Date.now() - this.lastPeriodic >= this.opts.periodicMs) {
        this.lastPeriodic = Date.now();
        await this.opts.periodic().catch((error: unknown) => runnerLog.error("periodic work failed", { error }));
      }
      const free = this.opts.concurrency - this.active.size;
      const claimed = free > 0 ? await claimDueJobs(free, this.opts.perFlow) : [];
      claimedAny = claimed.length > 0;
      for (const row of claimed) {
        const run = runClaimedJob(row, this.opts.backoff)
          .then(() => undefined)
          .catch((error: unknown) => runnerLog.error("job outcome not recorded", { jobId: row.id, error }))
          .finally(() => {
            this.active.delete(run);
            this.kick();
          });
        this.active.add(run);
      }
    } catch (error) {
      runnerLog.error("job poll failed", { error });
    }
    if (this.again || claimedAny) {
      this.again = false;
      this.schedule(0);
    } else {
      this.schedule(this.opts.pollMs);
    }
    return claimedAny;
  }
}

const KEY = Symbol.for("restaurant-checklist.job-runner");
type Holder = { [KEY]?: JobRunner };

/** Starts the process's runner (idempotent: dev hot reloads keep the one already running). */
export function startJobRunner(options: JobRunnerOptions = {}): JobRunner {
  const holder = globalThis as Holder;
  if (holder[KEY]?.running) return holder[KEY];
  holder[KEY] = new JobRunner(options).start();
  return holder[KEY];
}

export function getJobRunner(): JobRunner | undefined {
  return (globalThis as Holder)[KEY];
}

export function kickJobRunner(): void {
  getJobRunner()?.kick();
}

export async function stopJobRunner(): Promise<void> {
  const holder = globalThis as Holder;
  const runner = holder[KEY];
  delete holder[KEY];
  await runner?.stop();
}
