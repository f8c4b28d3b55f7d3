import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { supplyPostings } from "@/db/schema";
import { isFlagOn, setFlag, type FlagKey, type FlagRule } from "@/server/flags";
import { resumePostings } from "@/server/purchasing";

/**
 * The admin console's flag change (platform scope): the rule is stored and audited (server/flags), and turning
 * Poster writes back on queues every posting that waited meanwhile, for each restaurant the new rule lets in.
 */
export async function changeFlag(tx: Tx, input: { actorUserId: string; key: FlagKey; rule: FlagRule | null }) {
  const result = await setFlag(tx, input);
  let postingsQueued = 0;
  if (input.key === "poster.writes") {
    const waiting = await tx.selectDistinct({ restaurantId: supplyPostings.restaurantId }).from(supplyPostings).where(eq(supplyPostings.status, "pending"));
    for (const { restaurantId } of waiting) {
      if (await isFlagOn(tx, "poster.writes", restaurantId)) postingsQueued += await resumePostings(tx, restaurantId);
    }
  }
  return { ...result, postingsQueued };
}
