import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { forceSync, replayJob, replayWebhook, retrySupplyPosting, setRestaurantDisabled } from "@/server/admin/actions";
import { changeFlag } from "@/server/admin/flags";
import { adminJob } from "@/server/admin/jobs";
import { adminOverview } from "@/server/admin/overview";
import { setRestaurantPaused } from "@/server/admin/pause";
import { restaurantDetail } from "@/server/admin/restaurant-detail";
import { restaurantNames, restaurantSearchSchema, searchRestaurants } from "@/server/admin/restaurants";
import { backupOverview } from "@/server/backup/overview";
import { PosterNotConnectedError } from "@/server/connections";
import { NotFoundError, PreconditionError } from "@/server/errors";
import { FLAG_KEYS, flagRuleSchema, FlagLockedError, listFlags } from "@/server/flags";
import { text } from "@/server/validation";
import { createTRPCRouter, platformAdmin } from "../init";

const restaurantInput = z.object({ restaurantId: z.uuid() }).strict();
/** Every admin action says why: it is in the audit log next to the admin's name. */
const reason = text(500, { min: 3 });

/** The platform admin area: validation and delegation only; cross-tenant work lives in server/admin, audited there. */
export const adminRouter = createTRPCRouter({
  /** The success metrics against their goals, a 7-day series, open incidents. */
  overview: platformAdmin().query(() => withPlatform("admin", (tx) => adminOverview(tx))),

  /** Search, filter, sort, keyset paging (server/admin/restaurants.ts). */
  restaurants: platformAdmin()
    .input(restaurantSearchSchema.optional())
    .query(({ input }) => withPlatform("admin", (tx) => searchRestaurants(tx, input ?? {}))),

  /** Every restaurant's id and name (the flags' restaurant picker). */
  restaurantNames: platformAdmin().query(() => withPlatform("admin", (tx) => restaurantNames(tx))),

  /** One restaurant, readable: sync runs, jobs, webhooks, supply postings, audit. */
  restaurant: platformAdmin()
    .input(restaurantInput)
    .query(async ({ input }) => {
      const detail = await withPlatform("admin", (tx) => restaurantDetail(tx, input.restaurantId));
      if (!detail) throw new NotFoundError("restaurant_not_found", "No such restaurant.");
      return detail;
    }),

  /** A job's state, to watch a replay or a forced sync finish. */
  job: platformAdmin()
    .input(z.object({ jobId: z.uuid() }).strict())
    .query(async ({ input }) => {
      const job = await withPlatform("admin", (tx) => adminJob(tx, input.jobId));
      if (!job) throw new NotFoundError("job_not_found", "No such job.");
      return job;
    }),

  /** The last backup in storage, its size and age, the 26-hour alert and the last failed backup job. */
  backups: platformAdmin().query(() => withPlatform("admin", (tx) => backupOverview(tx))),

  forceSync: platformAdmin()
    .input(z.object({ restaurantId: z.uuid(), reason }).strict())
    .mutation(async ({ ctx, input }) => {
      try {
        return await forceSync({ userId: ctx.user.id }, input);
      } catch (err) {
        if (err instanceof PosterNotConnectedError) {
          throw new PreconditionError("poster_not_connected", "This restaurant's Poster connection cannot sync (reconnect needed or not connected).");
        }
        throw err;
      }
    }),

  replayJob: platformAdmin()
    .input(z.object({ jobId: z.uuid(), reason }).strict())
    .mutation(({ ctx, input }) => replayJob({ userId: ctx.user.id }, input)),

  replayWebhook: platformAdmin()
    .input(z.object({ eventId: z.uuid(), reason }).strict())
    .mutation(({ ctx, input }) => replayWebhook({ userId: ctx.user.id }, input)),

  retryPosting: platformAdmin()
    .input(z.object({ restaurantId: z.uuid(), postingId: z.uuid(), reason }).strict())
    .mutation(({ ctx, input }) => retrySupplyPosting({ userId: ctx.user.id }, input)),

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
        .object({ restaurantId: z.uuid(), paused: z.boolean(), reason: reason.optional() })
        .strict()
        .refine((v) => !v.paused || !!v.reason, { message: "Say why the restaurant is paused: its owners are shown the reason.", path: ["reason"] }),
    )
    .mutation(({ ctx, input }) => withPlatform("admin", (tx) => setRestaurantPaused(tx, { actorUserId: ctx.user.id, ...input }))),

  /** Disabled = no syncs, no Poster writes, a notice for its users; the data is kept. Enabling says why too. */
  setDisabled: platformAdmin()
    .input(z.object({ restaurantId: z.uuid(), disabled: z.boolean(), reason }).strict())
    .mutation(({ ctx, input }) => withPlatform("admin", (tx) => setRestaurantDisabled(tx, { userId: ctx.user.id }, input))),
});
