import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { log } from "@/server/observability/log";
import { getDatabase, type Database, type Tx } from "./client";
import { rowsOf } from "./rows";

const uuidSchema = z.uuid();

/**
 * Runs `fn` in one transaction scoped to one restaurant: the tenant id and the `app_user` role are set
 * transaction-locally (parameterised, one round trip), so row-level security filters every query, even one
 * without a `where`. Throwing rolls everything back.
 */
export async function withTenant<T>(restaurantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const id = uuidSchema.parse(restaurantId);
  const { db } = await getDatabase();
  return scopedTransaction(db, sql`select set_config('app.tenant_id', ${id}, true), set_config('role', 'app_user', true)`, fn, "tenant");
}

/**
 * Runs `fn` (the statements of a procedure's last read on `tx`) with the planner's nested loops off, for the rest of
 * the transaction. For the department-sized joins of the hot paths: under row-level security the tenant policy
 * restricts both sides of a join, and the planner counts that restriction twice (the join's estimate is divided by
 * the number of restaurants, whatever the statistics), so on a big database it probes products once per department
 * row (10 ms for 500 rows) where a hash join takes 3. Transaction-local, like the tenant. The switch is sent without
 * waiting for its answer: `fn`'s statements follow it on the transaction's connection (postgres.js pipelines them),
 * so it costs no round trip of its own. Not switched back (that was one more round trip): nothing may follow.
 */
export async function withHashJoins<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  // JIT off too: a join that still needs a nested loop is costed with the planner's "disabled" penalty, far above
  // jit_above_cost, and compiling it took 0.5 s on a one-row query.
  const switched = tx.execute(sql`select set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`).execute();
  const [, result] = await Promise.all([switched, fn()]);
  return result;
}

/**
 * withTenant that also answers, in the same single round trip (the app_enter_tenant function of migrations 0007
 * and 0011, read as app_user under the tenant's policies), the restaurant's settings, the user's state and
 * membership there and their recorded session, for the tenant procedure's checks. `entry` is what the function
 * returned (JSON, see TenantEntry).
 */
export async function withTenantEntry<T>(
  restaurantId: string,
  userId: string,
  sessionId: string | null,
  fn: (tx: Tx, entry: TenantEntry) => Promise<T>,
): Promise<T> {
  const id = uuidSchema.parse(restaurantId);
  const user = uuidSchema.parse(userId);
  const session = sessionId === null ? null : uuidSchema.parse(sessionId);
  const { db } = await getDatabase();
  return scopedTransaction(db, sql`select app_enter_tenant(${id}, ${user}, ${session}::uuid) as entry`, (tx, rows) => {
    const entry = jsonOf<RawEntry>(rows[0]?.entry);
    return fn(tx, { ...entry, session: sessionRowOf(entry.session) });
  }, "tenant");
}

/**
 * withTenant that also answers the user's recorded session in the same round trip (app_tenant_session, migration
 * 0011): for a call whose access came from the cache.
 */
export async function withTenantSession<T>(restaurantId: string, userId: string, sessionId: string | null, fn: (tx: Tx, session: EntrySession | null) => Promise<T>): Promise<T> {
  const id = uuidSchema.parse(restaurantId);
  const user = uuidSchema.parse(userId);
  const session = sessionId === null ? null : uuidSchema.parse(sessionId);
  const { db } = await getDatabase();
  return scopedTransaction(db, sql`select app_tenant_session(${id}, ${user}, ${session}::uuid) as session`, (tx, rows) =>
    fn(tx, sessionRowOf(jsonOf<RawSession | null>(rows[0]?.session))),
  "tenant");
}

/** postgres.js parses json results, PGlite may answer them as text. */
function jsonOf<T>(raw: unknown): T {
  return (typeof raw === "string" ? JSON.parse(raw) : raw) as T;
}

interface RawSession {
  sessionId: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}
type RawEntry = Omit<TenantEntry, "session"> & { session: RawSession | null };

function sessionRowOf(raw: RawSession | null | undefined): EntrySession | null {
  if (!raw) return null;
  return { sessionId: raw.sessionId, revokedAt: raw.revokedAt === null ? null : new Date(raw.revokedAt), lastSeenAt: raw.lastSeenAt === null ? null : new Date(raw.lastSeenAt) };
}

/** The recorded session's fields the per-request check reads. */
export interface EntrySession {
  sessionId: string;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
}

export interface TenantEntry {
  restaurant: { id: string; name: string; currency: string; timezone: string; locale: string } | null;
  user: { isActive: boolean; sessionVersion: number; isPlatformAdmin: boolean } | null;
  membership: { membershipId: string; role: string; canSend: boolean; canReceive: boolean; isActive: boolean; departmentIds: string[] } | null;
  /** The user's recorded session of the claims, when it exists (revoked or not). */
  session: EntrySession | null;
}

const afterCommitTasks = new WeakMap<object, (() => Promise<unknown>)[]>();

/**
 * Runs `task` once the scoped transaction `tx` has committed (never if it rolls back): e-mail, enqueueing, writes
 * in another scope. Work that opens its own transaction must not run inside an open one: the embedded database
 * has a single connection (it would wait forever) and a pooled one would hold two connections. The caller of
 * withTenant/withPlatform gets its result after these tasks ran; a failing task is logged, not rethrown (the
 * transaction's work is already committed).
 */
export function afterCommit(tx: Tx, task: () => Promise<unknown>): void {
  const tasks = afterCommitTasks.get(tx);
  if (!tasks) throw new Error("afterCommit needs the transaction of withTenant or withPlatform.");
  tasks.push(task);
}

/** Told the duration of every scoped transaction (server/observability/metrics.ts registers it: "DB time"). */
export type TransactionObserver = (scope: string, ms: number, error: unknown) => void;
let observer: TransactionObserver | null = null;

export function observeTransactions(fn: TransactionObserver | null): void {
  observer = fn;
}

async function scopedTransaction<T>(db: Database, setup: SQL, fn: (tx: Tx, setupRows: Record<string, unknown>[]) => Promise<T>, scope: string): Promise<T> {
  const tasks: (() => Promise<unknown>)[] = [];
  const started = performance.now();
  let result: T;
  try {
    result = await db.transaction(async (tx) => {
      afterCommitTasks.set(tx, tasks);
      const rows = rowsOf<Record<string, unknown>>(await tx.execute(setup));
      return fn(tx as Tx, rows);
    });
  } catch (err) {
    observer?.(scope, performance.now() - started, err);
    throw err;
  }
  observer?.(scope, performance.now() - started, null);
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      log.error("after-commit task failed", { error });
    }
  }
  return result;
}

/**
 * The one cross-tenant path (sign-in, membership lookup, the scheduler's fan-out, webhooks' account lookup,
 * the admin area). Runs as `app_admin`; every caller names why, and admin actions are audited by their callers.
 */
export async function withPlatform<T>(reason: PlatformReason, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { db } = await getDatabase();
  return scopedTransaction(
    db,
    sql`select set_config('app.tenant_id', '', true), set_config('role', 'app_admin', true), set_config('app.platform_reason', ${reason}, true)`,
    fn,
    `platform.${reason}`,
  );
}

export type PlatformReason =
  | "auth"
  | "membership"
  | "seed"
  | "scheduler"
  | "jobs"
  | "webhook"
  | "oauth"
  | "admin"
  | "mail"
  | "keys"
  | "health"
  | "metrics"
  | "alerts"
  | "test";
