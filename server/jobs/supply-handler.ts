import { z } from "zod";
import { postSupply } from "@/server/purchasing/supply-posting";
import { parsePayload, requireRestaurant } from "./handlers";
import { registerJobHandler } from "./registry";

const payload = z.object({ postingId: z.uuid() }).strict();

/**
 * supply.post: a received delivery goes to Poster as a supply. Idempotent in postSupply itself (a posted posting
 * is a no-op; after a lost answer the supply is found by the marker in its comment), and the job's dedup key is
 * the posting's idempotency key ("until-success"), so a duplicate enqueue or delivery makes one supply.
 * Its errors say whether to retry (Poster down, posting busy) or not (invalid posting, token rejected).
 */
export function registerSupplyHandler(): void {
  registerJobHandler("supply.post", async (ctx) => {
    const { postingId } = parsePayload(payload, ctx);
    const result = await postSupply({ restaurantId: requireRestaurant(ctx), postingId });
    return { ...result };
  });
}
