import { and, desc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { jobs, posterConnections } from "@/db/schema";
import { PosterNotConnectedError, isUsableConnection } from "@/server/connections";
import { assertNotPaused } from "@/server/tenancy/pause";
import { enqueueJob } from "./queue";
import type { EnqueueJobResult } from "./types";

/** Columns the UI may see of a job (the payload stays on the server). */
export const jobView = {
  id: jobs.id,
  kind: jobs.kind,
  status: jobs.status,
  attempts: jobs.attempts,
  maxAttempts: jobs.maxAttempts,
  progress: jobs.progress,
  result: jobs.result,
  error: jobs.error,
  createdAt: jobs.createdAt,
  startedAt: jobs.startedAt,
  finishedAt: jobs.finishedAt,
};

/**
 * "Sync now": enqueues a full sync in the caller's tenant transaction and returns at once. While any full sync of
 * the restaurant is queued or running (a scheduled one, or an earlier click) the caller joins it instead.
 * Throws restaurant_paused while a platform admin paused the restaurant, PosterNotConnectedError when the connection
 * cannot sync.
 */
export async function requestManualSync(tx: Tx, restaurantId: string): Promise<EnqueueJobResult> {
  await assertNotPaused(tx, restaurantId);
  const [connection] = await tx
    .select({ status: posterConnections.status, accountNumber: posterConnections.accountNumber })
    .from(posterConnections)
    .where(eq(posterConnections.restaurantId, restaurantId));
  if (!connection) throw new PosterNotConnectedError(restaurantId, "not_connected");
  if (!isUsableConnection(connection.status)) throw new PosterNotConnectedError(restaurantId, connection.status);
  const [active] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.restaurantId, restaurantId), eq(jobs.kind, "sync.full"), inArray(jobs.status, ["queued", "running"])))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  if (active) return { jobId: active.id, joined: true };
  return enqueueJob(
    {
      kind: "sync.full",
      restaurantId,
      payload: { trigger: "manual" },
      dedupKey: `sync:manual:${restaurantId}`,
      flowKey: connection.accountNumber,
      maxAttempts: 3,
    },
    { tx },
  );
}
