import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { withPlatform, withTenant } from "@/db/scope";
import { auditAdminAction, listRestaurantsForAdmin, restaurantLogs } from "@/server/admin/overview";
import { changeFlag } from "@/server/admin/flags";
import { setRestaurantPaused } from "@/server/admin/pause";
import { backupOverview } from "@/server/backup/overview";
import { PosterNotConnectedError } from "@/server/connections";
import { FLAG_KEYS, flagRuleSchema, FlagLockedError, listFlags } from "@/server/flags";
import { requestManualSync } from "@/server/jobs/sync-now";
import { createTRPCRouter, platformAdmin } from "../init";
import { text } from "@/server/validation";

const restaurantInput = z.object({ restaurantId: z.uuid() }).strict();

/** The platform admin area: cross-tenant reads through the platform scope, every action audited. */
export const adminRouter = createTRPCRouter({
  restaurants: platformAdmin().query(() => withPlatform("admin", (tx) => listRestaurantsForAdmin(tx))),

  /** The last backup in storage, its size and age, the 26-hour alert and the last failed backup job. */
  backups: platformAdmin().query(() => withPlatform("admin", (tx) => backupOverview(tx))),

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

  /** Every feature flag: its rule, where it comes from (environment, console, default), and who set it last. */
  flags: platformAdmin().query(() => withPlatform("admin", (tx) => listFlags(tx))),

  /** Sets a flag's rule (null: back to its default), audited; a flag fixed by the environment is refused. */
  setFlag: platformAdmin()
    .input(z.object({ key: z.enum(FLAG_KEYS), rule: flagRuleSchema.nullable() }).strict())
    .mutation(async ({ ctx, input }) => {
      try {
        return await withPlatform("admin", (tx) => changeFlag(tx, { actorUserId: ctx.user.id, key: input.key, rule: input.rule }));
      } catch (err) {
        if (err instanceof FlagLockedError) throw new TRPCError({ code: "CONFLICT", message: err.message });
        throw err;
      }
    }),

  /** Pausing says why (the owners see it); paused = no Poster sync and no Poster writes until resumed. */
  setPaused: platformAdmin()
    .input(
      z
        .object({ restaurantId: z.uuid(), paused: z.boolean(), reason: text(500, { min: 3 }).optional() })
        .strict()
        .refine((v) => !v.paused || !!v.reason, { message: "Say why the restaurant is paused: its owners are shown the reason.", path: ["reason"] }),
    )
    .mutation(({ ctx, input }) => withPlatform("admin", (tx) => setRestaurantPaused(tx, { actorUserId: ctx.user.id, ...input }))),
});
