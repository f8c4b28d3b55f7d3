import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { restaurants } from "@/db/schema";
import { restaurantDisabledError, restaurantPausedError } from "@/server/errors";

/** A platform admin's pause, with the reason its owners are shown. */
export interface RestaurantPause {
  /** "disabled" (by a platform admin; outranks a pause) stops the same things and is shown as such. */
  kind: "paused" | "disabled";
  reason: string | null;
  since: Date | null;
}

/** Null while the restaurant is active (neither paused nor disabled). Works in the restaurant's own scope and in the platform scope. */
export async function readPause(tx: Tx, restaurantId: string): Promise<RestaurantPause | null> {
  const [row] = await tx
    .select({ status: restaurants.status, reason: restaurants.pausedReason, since: restaurants.pausedAt, disabledAt: restaurants.disabledAt, disabledReason: restaurants.disabledReason })
    .from(restaurants)
    .where(eq(restaurants.id, restaurantId));
  if (row?.disabledAt) return { kind: "disabled", reason: row.disabledReason, since: row.disabledAt };
  return row?.status === "paused" ? { kind: "paused", reason: row.reason, since: row.since } : null;
}

/**
 * Paused means no Poster traffic of any kind: no sync (manual, scheduled, webhook) and no Poster writes (supply
 * postings wait, pending, until the restaurant is resumed). Throws a non-retryable "restaurant_paused" refusal.
 */
export async function assertNotPaused(tx: Tx, restaurantId: string): Promise<void> {
  const pause = await readPause(tx, restaurantId);
  if (pause) throw pause.kind === "disabled" ? restaurantDisabledError(pause.reason) : restaurantPausedError();
}
