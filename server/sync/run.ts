import { and, eq, isNotNull } from "drizzle-orm";
import { departments, syncRuns } from "@/db/schema";
import { withTenant } from "@/db/scope";
import { getPosterClientForRestaurant, isUsableConnection, markNeedsReconnect, PosterNotConnectedError, settleConnectionMarks } from "@/server/connections/client";
import { getConnectionStatus } from "@/server/connections/token-store";
import { log } from "@/server/observability/log";
import { PosterAuthError, redactSecrets, type PosterClient } from "@/server/poster";
import { applySnapshot } from "./apply";
import { fetchFull, fetchTargeted } from "./fetch";
import type { SyncProgress, SyncRunResult, SyncSnapshot, SyncTarget, SyncTrigger } from "./types";

/** A sync that started (its run is recorded as failed) and did not apply anything. */
export class SyncFailedError extends Error {
  constructor(readonly runId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SyncFailedError";
  }
}

export interface SyncOptions {
  restaurantId: string;
  trigger: SyncTrigger;
  /** The job that runs this sync, recorded on the run. */
  jobId?: string;
  /** Default: the restaurant's own connection (getPosterClientForRestaurant). */
  client?: PosterClient;
  onProgress?: (progress: SyncProgress) => void | Promise<void>;
}

const APPLY_STEPS = 5;

/** A readable, secret-free reason: drizzle's "Failed query" message would carry every bound value. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return "unknown error";
  const message = err.message.startsWith("Failed query") && err.cause instanceof Error ? err.cause.message : err.message;
  return redactSecrets(message).slice(0, 1000);
}

/**
 * Refuses restaurants whose connection is not usable (PosterNotConnectedError, no run recorded). A given client
 * (tests, the benchmark) is used as is unless the restaurant's own connection says otherwise.
 */
async function prepare(restaurantId: string, given: PosterClient | undefined) {
  return withTenant(restaurantId, async (tx) => {
    let client = given;
    if (client) {
      const connection = await getConnectionStatus(tx, restaurantId);
      if (connection && !isUsableConnection(connection.status)) throw new PosterNotConnectedError(restaurantId, connection.status);
    } else {
      client = await getPosterClientForRestaurant(tx, restaurantId);
    }
    const live = await tx
      .select({ posterStorageId: departments.posterStorageId })
      .from(departments)
      .where(and(isNotNull(departments.posterStorageId), eq(departments.isArchived, false)));
    return { client, storages: live.map((d) => d.posterStorageId!) };
  });
}

async function execute(
  options: SyncOptions,
  scope: string,
  fetch: (client: PosterClient, storages: number[], step: (label: string, moreSteps?: number) => Promise<void>) => Promise<SyncSnapshot>,
  fetchSteps: number,
): Promise<SyncRunResult> {
  const { restaurantId, trigger } = options;
  const { client, storages } = await prepare(restaurantId, options.client);
  const [run] = await withTenant(restaurantId, (tx) =>
    tx.insert(syncRuns).values({ restaurantId, trigger, scope, jobId: options.jobId ?? null, status: "running" }).returning({ id: syncRuns.id, startedAt: syncRuns.startedAt }),
  );
  const runId = run!.id;
  let done = 0;
  let total = fetchSteps + APPLY_STEPS;
  const step = async (label: string, moreSteps = 0) => {
    total += moreSteps;
    done++;
    await options.onProgress?.({ done: Math.min(done, total), total, label });
  };

  try {
    const snapshot = await fetch(client, storages, step);
    // One transaction: the run's success and the data it wrote commit together, or neither does.
    const { counts, finishedAt } = await withTenant(restaurantId, async (tx) => {
      const counts = await applySnapshot(tx, restaurantId, snapshot, (label) => step(`apply:${label}`));
      const finishedAt = new Date();
      await tx.update(syncRuns).set({ status: "succeeded", counts, finishedAt }).where(eq(syncRuns.id, runId));
      return { counts, finishedAt };
    });
    log.info("sync succeeded", { restaurantId, runId, trigger, scope, counts });
    return { runId, restaurantId, trigger, scope, status: "succeeded", counts, startedAt: run!.startedAt, finishedAt };
  } catch (err) {
    const message = describeError(err);
    try {
      if (err instanceof PosterAuthError && err.code !== 10) {
        await settleConnectionMarks();
        const still = await withTenant(restaurantId, (tx) => getConnectionStatus(tx, restaurantId));
        if (still && isUsableConnection(still.status)) await markNeedsReconnect(restaurantId, err);
      }
      // After the rollback, in its own transaction: the failure is recorded even though nothing was applied.
      await withTenant(restaurantId, (tx) => tx.update(syncRuns).set({ status: "failed", error: message, finishedAt: new Date() }).where(eq(syncRuns.id, runId)));
    } catch (recordError) {
      log.error("could not record the failed sync run", { restaurantId, runId, error: recordError });
    }
    log.warn("sync failed", { restaurantId, runId, trigger, scope, error: message });
    throw new SyncFailedError(runId, message, { cause: err });
  }
}

/**
 * Full sync of one restaurant from Poster: suppliers, storages → departments, categories, ingredients → products,
 * per-storage stock. Everything is fetched first, then applied in one tenant transaction (all or nothing).
 * Throws PosterNotConnectedError (nothing recorded) or SyncFailedError (run recorded as failed).
 */
export function runFullSync(options: SyncOptions): Promise<SyncRunResult> {
  return execute(options, "full", (client, _storages, step) => fetchFull(client, step), 5);
}

export function targetScope(target: SyncTarget): string {
  switch (target.kind) {
    case "suppliers":
      return "suppliers";
    case "stock":
      return target.ingredientPosterId === undefined ? `stock:${target.storagePosterId}` : `stock:${target.storagePosterId}:${target.ingredientPosterId}`;
    default:
      return `${target.kind}:${target.posterId}`;
  }
}

/** One object (for webhooks): an ingredient, a category, a storage with its stock, one storage's stock, suppliers. */
export function runTargetedSync(options: Omit<SyncOptions, "onProgress"> & { target: SyncTarget }): Promise<SyncRunResult> {
  return execute(options, targetScope(options.target), (client, storages, step) => fetchTargeted(client, options.target, storages, step), 1);
}
