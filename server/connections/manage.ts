import { desc, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, syncRuns } from "@/db/schema";
import { readPause } from "@/server/tenancy/pause";
import { getConnectionStatus, posterTokenStore } from "./token-store";

/** The connection (never the token), the platform's pause and the last sync runs, for the settings page. Tenant transaction. */
export async function posterOverview(tx: Tx, restaurantId: string, runLimit = 10) {
  const connection = await getConnectionStatus(tx, restaurantId);
  const pause = await readPause(tx, restaurantId);
  const runs = await tx
    .select({
      id: syncRuns.id,
      trigger: syncRuns.trigger,
      scope: syncRuns.scope,
      status: syncRuns.status,
      counts: syncRuns.counts,
      // The reasons are for platform admins; the owner sees how many rows were skipped (in counts).
      settingsChanged: sql<boolean>`${syncRuns.settingsChanges} is not null`,
      error: syncRuns.error,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
    })
    .from(syncRuns)
    .orderBy(desc(syncRuns.startedAt))
    .limit(runLimit);
  return { connection, pause, runs };
}

/** Forgets the token (the data stays), marks the connection disconnected and audits who did it. */
export async function disconnectPoster(tx: Tx, restaurantId: string, actorUserId: string, ip: string | null = null): Promise<boolean> {
  const connection = await getConnectionStatus(tx, restaurantId);
  if (!connection) return false;
  await posterTokenStore.clear(tx, restaurantId);
  await tx.insert(auditLog).values({
    restaurantId,
    actorUserId,
    action: "poster.disconnect",
    targetType: "poster_connection",
    data: { accountNumber: connection.accountNumber },
    ip,
  });
  return true;
}
