import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { restaurants } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { auditAdminAction, listRestaurantsForAdmin, restaurantLogs } from "@/server/admin/overview";
import { PosterNotConnectedError } from "@/server/connections";
import { requestManualSync } from "@/server/jobs/sync-now";
import { createTRPCRouter, platformAdmin } from "../init";

const restaurantInput = z.object({ restaurantId: z.uuid() }).strict();

/** The platform admin area: cross-tenant reads through the platform scope, every action audited. */
export const adminRouter = createTRPCRouter({
  restaurants: platformAdmin().query(() => withPlatform("admin", (tx) => listRestaurantsForAdmin(tx))),

  logs: platformAdmin()
    .input(restaurantInput)
    .query(async ({ input }) => {
      const logs = await withPlatform("admin", (tx) => restaurantLogs(tx, input.restaurantId));
      if (!logs) throw new TRPCError({ code: "NOT_FOUND", message: "No such restaurant." });
      return logs;
    }),

  forceSync: platformAdmin()
    .input(restaurantInput)
    .mutation(({ ctx, input }) =>
      withTenant(input.restaurantId, async (tx) => {
        try {
          const job = await requestManualSync(tx, input.restaurantId);
          await auditAdminAction(tx, { actorUserId: ctx.user.id, restaurantId: input.restaurantId, action: "admin.force_sync", data: { jobId: job.jobId } });
          return job;
        } catch (err) {
          if (err instanceof PosterNotConnectedError) {
            throw new TRPCError({ code: "PRECONDITION_FAILED", message: "This restaurant's Poster connection cannot sync (reconnect needed or not connected)." });
          }
          throw err;
        }
      }),
    ),

  setPaused: platformAdmin()
    .input(z.object({ restaurantId: z.uuid(), paused: z.boolean() }).strict())
    .mutation(({ ctx, input }) =>
      withPlatform("admin", async (tx) => {
        const [row] = await tx
          .update(restaurants)
          .set({ status: input.paused ? "paused" : "active" })
          .where(eq(restaurants.id, input.restaurantId))
          .returning({ id: restaurants.id, status: restaurants.status });
        if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such restaurant." });
        await auditAdminAction(tx, { actorUserId: ctx.user.id, restaurantId: row.id, action: input.paused ? "admin.pause" : "admin.resume" });
        return row;
      }),
    ),
});
