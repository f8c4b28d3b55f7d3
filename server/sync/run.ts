import { and, eq, isNotNull } from "drizzle-orm";
import { departments, syncRuns } from "@/db/schema";
import { withTenant } from "@/db/scope";
import { getPosterClientForRestaurant, isUsableConnection, markNeedsReconnect, PosterNotConnectedError, settleConnectionMarks } from "@/server/connections/client";
import { getConnectionStatus } from "@/server/connections/token-store";
import { assertNotPaused } from "@/server/tenancy/pause";
import { log } from "@/server/observability/log";
import { PosterAuthError, redactSecrets, type PosterClient } from "@/server/poster";
import { applySnapshot } from "./apply";
import { FULL_FETCH_STEPS, fetchFull, fetchTargeted } from "./fetch";
import { applyAccountSettings } from "./settings";
import { SyncSkips } from "./skips";
import type { SettingsChanges, SyncProgress, SyncRunResult, SyncSnapshot, SyncTarget, SyncTrigger } from "./types";

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
 * Refuses paused restaurants (restaurant_paused) and those whose connection is not usable (PosterNotConnectedError);
 * no run is recorded for either. A given client
 * (tests, the benchmark) is used as is unless the restaurant's own connection says otherwise.
 */
async function prepare(restaurantId: string, given: PosterClient | undefined) {
  return withTenant(restaurantId, async (tx) => {
    // Checked when the sync runs, not only when it was queued: a pause stops syncs already waiting too.
    await assertNotPaused(tx, restaurantId);
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
    // Filled while fetching and applying (the apply adds what Postgres could not take).
    const skips = (snapshot.skips ??= new SyncSkips());
    const skippedReasons = skips.reasons;
    // One transaction: the run's success and the data it wrote commit together, or neither does.
    const { counts, settingsChanges, finishedAt } = await withTenant(restaurantId, async (tx) => {
      const counts = await applySnapshot(tx, restaurantId, snapshot, (label) => step(`apply:${label}`));
      const settingsChanges: SettingsChanges = snapshot.settings ? await applyAccountSettings(tx, restaurantId, snapshot.settings) : {};
      const finishedAt = new Date();
      await tx
        .update(syncRuns)
        .set({
          status: "succeeded",
          counts,
          skippedReasons: skippedReasons.length > 0 ? skippedReasons : null,
          settingsChanges: Object.keys(settingsChanges).length > 0 ? settingsChanges : null,
          finishedAt,
        })
        .where(eq(syncRuns.id, runId));
      return { counts, settingsChanges, finishedAt };
    });
    if (skippedReasons.length > 0) log.warn("sync skipped rows it could not read", { restaurantId, runId, scope, skipped: skips.total, reasons: skippedReasons });
    log.info("sync succeeded", { restaurantId, runId, trigger, scope, counts, settingsChanges });
    return { runId, restaurantId, trigger, scope, status: "succeeded", counts, skippedReasons, settingsChanges, startedAt: run!.startedAt, finishedAt };
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
 * per-storage stock, and the account settings (name, currency, timezone, language; reconnecting runs one too).
 * Everything is fetched first, then applied in one tenant transaction (all or nothing). Rows Poster sent
 * unreadable are skipped, counted and named in the run instead of failing it.
 * Throws PosterNotConnectedError (nothing recorded) or SyncFailedError (run recorded as failed).
 */
export function runFullSync(options: SyncOptions): Promise<SyncRunResult> {
  return execute(options, "full", (client, _storages, step) => fetchFull(client, step), FULL_FETCH_STEPS);
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
