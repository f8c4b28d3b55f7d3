import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { can } from "@/server/auth/permissions";
import { getConnectionStatus, PosterNotConnectedError } from "@/server/connections";
import { NotFoundError } from "@/server/errors";
import { flagsFor } from "@/server/flags";
import { requestManualSync } from "@/server/jobs/sync-now";
import { recentTenantJobs, tenantJob } from "@/server/jobs/views";
import { readPause } from "@/server/tenancy/pause";
import { createTRPCRouter, tenant } from "../init";

export const jobsRouter = createTRPCRouter({
  /** One job of the active restaurant (row-level security hides every other restaurant's and platform jobs). */
  get: tenant("sync.run")
    .input(z.object({ jobId: z.uuid() }).strict())
    .query(async ({ ctx, input }) => {
      const job = await tenantJob(ctx.db, input.jobId);
      if (!job) throw new NotFoundError("job_not_found", "No such job.");
      return job;
    }),

  recent: tenant("sync.run").query(({ ctx }) => recentTenantJobs(ctx.db)),

  /** Starts a full sync in the background and answers with its job id at once (joins one already running). */
  syncNow: tenant("sync.run").mutation(async ({ ctx }) => {
    try {
      return await requestManualSync(ctx.db, ctx.restaurant.id);
    } catch (err) {
      if (err instanceof PosterNotConnectedError) throw new TRPCError({ code: "PRECONDITION_FAILED", message: err.message });
      throw err;
    }
  }),

  /** For the banner: whether the restaurant's Poster connection needs the owner's attention, it is paused, or flags switch things off. */
  connection: tenant("restaurant.read").query(async ({ ctx }) => {
    const connection = await getConnectionStatus(ctx.db, ctx.restaurant.id);
    return {
      pause: await readPause(ctx.db, ctx.restaurant.id),
      status: connection?.status ?? null,
      accountLogin: connection?.accountLogin ?? null,
      lastCheckedAt: connection?.lastCheckedAt ?? null,
      canReconnect: can(ctx.actor, "poster.manage"),
      // Feature flags for this restaurant: the UI says what is switched off (Poster writes, webhooks, the export).
      flags: await flagsFor(ctx.db, ctx.restaurant.id),
    };
  }),
});
