import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { env } from "@/server/env";
import { getRedis } from "@/server/redis/client";

/** Postgres down → the service is down (503); Redis down → degraded (200): cache and limits fall back. */
export type HealthStatus = "ok" | "degraded" | "down";

export interface HealthReport {
  status: HealthStatus;
  checkedAt: string;
  postgres: { ok: boolean; ms: number; error?: string };
  redis: { configured: boolean; ok: boolean; ms?: number; error?: string };
  queue: {
    backend: "qstash" | "in-process";
    /** QStash deliveries can be verified (a signing key is set); always true in-process. */
    deliveriesVerifiable: boolean;
    /** Jobs due but not started yet; their oldest waited this long (null: none waiting). */
    queued: number | null;
    oldestQueuedSeconds: number | null;
  };
}

const POSTGRES_TIMEOUT_MS = 2_000;
const REDIS_TIMEOUT_MS = 1_000;
/** Pollers every few seconds from several places share one check per second. */
const REUSE_MS = 1_000;

class Timeout extends Error {}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A word for what failed, never the driver's message (it may carry a host, a user or a statement). */
function failureKind(err: unknown): string {
  if (err instanceof Timeout) return "timeout";
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code) ? code : "error";
}

async function checkPostgres(): Promise<{ postgres: HealthReport["postgres"]; queue: Pick<HealthReport["queue"], "queued" | "oldestQueuedSeconds"> }> {
  const started = performance.now();
  try {
    // A real query on the busiest table, answered from the (status, run_after) index.
    const [row] = await within(
      POSTGRES_TIMEOUT_MS,
      withPlatform("health", async (tx) =>
        rowsOf<{ queued: number; oldest: number | null }>(
          await tx.execute(sql`
            select count(*)::int as queued, extract(epoch from now() - min(run_after))::float8 as oldest
            from jobs where status = 'queued' and run_after <= now()`),
        ),
      ),
    );
    return {
      postgres: { ok: true, ms: Math.round(performance.now() - started) },
      queue: { queued: row?.queued ?? 0, oldestQueuedSeconds: row?.oldest == null ? null : Math.max(0, Math.round(row.oldest)) },
    };
  } catch (err) {
    return { postgres: { ok: false, ms: Math.round(performance.now() - started), error: failureKind(err) }, queue: { queued: null, oldestQueuedSeconds: null } };
  }
}

async function checkRedis(): Promise<HealthReport["redis"]> {
  const redis = getRedis();
  if (!redis) return { configured: false, ok: true };
  const started = performance.now();
  try {
    await within(REDIS_TIMEOUT_MS, redis.ping());
    return { configured: true, ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { configured: true, ok: false, ms: Math.round(performance.now() - started), error: failureKind(err) };
  }
}

async function runChecks(): Promise<HealthReport> {
  const [{ postgres, queue }, redis] = await Promise.all([checkPostgres(), checkRedis()]);
  const e = env();
  return {
    status: !postgres.ok ? "down" : !redis.ok ? "degraded" : "ok",
    checkedAt: new Date().toISOString(),
    postgres,
    redis,
    queue: { backend: e.QSTASH_TOKEN ? "qstash" : "in-process", deliveriesVerifiable: !e.QSTASH_TOKEN || !!e.QSTASH_CURRENT_SIGNING_KEY, ...queue },
  };
}

let last: { at: number; report: Promise<HealthReport> } | null = null;

/** The service's health for `GET /api/health`; concurrent and back-to-back polls within a second share one check. */
export function checkHealth(now = Date.now()): Promise<HealthReport> {
  if (last && now - last.at < REUSE_MS) return last.report;
  last = { at: now, report: runChecks() };
  return last.report;
}

export function resetHealthForTests(): void {
  last = null;
}
