import { disconnectPoster, posterOverview } from "@/server/connections";
import { createTRPCRouter, tenant } from "../init";
import { PreconditionError } from "@/server/errors";

export const posterRouter = createTRPCRouter({
  /** Connection state and the last sync runs with their counts and errors; never the token. */
  status: tenant("poster.manage").query(({ ctx }) => posterOverview(ctx.db, ctx.restaurant.id)),

  /** Stops all Poster calls for the restaurant; its data stays, and connecting again resumes. */
  disconnect: tenant("poster.manage").mutation(async ({ ctx }) => {
    const done = await disconnectPoster(ctx.db, ctx.restaurant.id, ctx.actor.userId, ctx.ip);
    if (!done) throw new PreconditionError("poster_not_connected", "This restaurant is not connected to Poster.");
    return { status: "disconnected" as const };
  }),
});
