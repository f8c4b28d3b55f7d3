import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { restaurants } from "@/db/schema";
import { restaurantPausedError } from "@/server/errors";

/** A platform admin's pause, with the reason its owners are shown. */
export interface RestaurantPause {
  reason: string | null;
  since: Date | null;
}

/** Null while the restaurant is active. Works in the restaurant's own scope and in the platform scope. */
export async function readPause(tx: Tx, restaurantId: string): Promise<RestaurantPause | null> {
  const [row] = await tx
    .select({ status: restaurants.status, reason: restaurants.pausedReason, since: restaurants.pausedAt })
    .from(restaurants)
    .where(eq(restaurants.id, restaurantId));
  return row?.status === "paused" ? { reason: row.reason, since: row.since } : null;
}

/**
 * Paused means no Poster traffic of any kind: no sync (manual, scheduled, webhook) and no Poster writes (supply
 * postings wait, pending, until the restaurant is resumed). Throws a non-retryable "restaurant_paused" refusal.
 */
export async function assertNotPaused(tx: Tx, restaurantId: string): Promise<void> {
  if (await readPause(tx, restaurantId)) throw restaurantPausedError();
}
