import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { restaurants } from "@/db/schema";
import { resumePostings } from "@/server/purchasing";
import { auditAdminAction } from "./audit";
import { NotFoundError } from "@/server/errors";

/**
 * A platform admin pauses a restaurant (with the reason its owners are shown) or resumes it. Audited in the same
 * transaction; resuming queues the supply postings that waited. Platform scope.
 */
export async function setRestaurantPaused(tx: Tx, input: { actorUserId: string; restaurantId: string; paused: boolean; reason?: string | undefined }) {
  const reason = input.paused ? (input.reason?.trim() ?? "") : null;
  const [row] = await tx
    .update(restaurants)
    .set(input.paused ? { status: "paused", pausedReason: reason, pausedAt: new Date() } : { status: "active", pausedReason: null, pausedAt: null })
    .where(eq(restaurants.id, input.restaurantId))
    .returning({ id: restaurants.id, status: restaurants.status, pausedReason: restaurants.pausedReason });
  if (!row) throw new NotFoundError("restaurant_not_found", "No such restaurant.");
  const postingsQueued = input.paused ? 0 : await resumePostings(tx, row.id);
  await auditAdminAction(tx, {
    actorUserId: input.actorUserId,
    restaurantId: row.id,
    action: input.paused ? "admin.pause" : "admin.resume",
    reason: input.paused ? reason : (input.reason?.trim() ?? null),
    data: input.paused ? {} : { postingsQueued },
  });
  return { ...row, postingsQueued };
}
