import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { departments } from "@/db/schema";
import { withTenant } from "@/db/scope";
import { PosterNotConnectedError } from "@/server/connections";
import { runFullSync, runTargetedSync, type SyncTarget } from "@/server/sync";
import { parsePayload, requireRestaurant } from "./handlers";
import { registerJobHandler } from "./registry";
import { PermanentJobError } from "./types";

const posterId = z.number().int().positive();

/** What a sync.targeted job may ask for: the sync module's targets, plus a supply (stock of every storage). */
export const syncJobTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ingredient"), posterId }).strict(),
  z.object({ kind: z.literal("category"), posterId }).strict(),
  z.object({ kind: z.literal("storage"), posterId }).strict(),
  z.object({ kind: z.literal("stock"), storagePosterId: posterId, ingredientPosterId: posterId.optional() }).strict(),
  z.object({ kind: z.literal("suppliers") }).strict(),
  z.object({ kind: z.literal("supply") }).strict(),
]);
export type SyncJobTarget = z.infer<typeof syncJobTargetSchema>;

const trigger = z.enum(["onboarding", "manual", "schedule", "webhook"]);
const fullPayload = z.object({ trigger }).strict();
const targetedPayload = z.object({ trigger, target: syncJobTargetSchema }).strict();

/** Not connected (or needs reconnecting) is not worth retrying: the owner must reconnect first. */
async function notConnectedIsPermanent<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PosterNotConnectedError) throw new PermanentJobError(err.message, { cause: err });
    throw err;
  }
}

async function liveStorages(restaurantId: string): Promise<number[]> {
  const rows = await withTenant(restaurantId, (tx) =>
    tx
      .select({ id: departments.posterStorageId })
      .from(departments)
      .where(and(isNotNull(departments.posterStorageId), eq(departments.isArchived, false))),
  );
  return rows.map((r) => r.id!);
}

/**
 * sync.full and sync.targeted run the sync module. Both are idempotent: a sync writes Poster's current state
 * (upserts by Poster id, archives what Poster no longer has) in one transaction, so running it twice leaves the
 * same data, and a failed run applied nothing. Retries follow the error: Poster down → retry; token rejected,
 * not connected, bad payload → fail for good.
 */
export function registerSyncHandlers(): void {
  registerJobHandler("sync.full", async (ctx) => {
    const restaurantId = requireRestaurant(ctx);
    const { trigger: t } = parsePayload(fullPayload, ctx);
    const run = await notConnectedIsPermanent(() =>
      runFullSync({ restaurantId, trigger: t, jobId: ctx.jobId, onProgress: (p) => ctx.reportProgress(p.done, p.total, p.label) }),
    );
    return { runId: run.runId, counts: run.counts };
  });

  registerJobHandler("sync.targeted", async (ctx) => {
    const restaurantId = requireRestaurant(ctx);
    const { trigger: t, target } = parsePayload(targetedPayload, ctx);
    const targets: SyncTarget[] =
      target.kind === "supply" ? (await liveStorages(restaurantId)).map((storagePosterId) => ({ kind: "stock", storagePosterId })) : [target];
    const runs: string[] = [];
    for (const [i, one] of targets.entries()) {
      await ctx.reportProgress(i, targets.length, one.kind);
      const run = await notConnectedIsPermanent(() => runTargetedSync({ restaurantId, trigger: t, jobId: ctx.jobId, target: one }));
      runs.push(run.runId);
    }
    return { runIds: runs };
  });
}
