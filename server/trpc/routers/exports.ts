import { z } from "zod";
import { exportObjectKey, latestExport, requestExport } from "@/server/export/export-job";
import { createTRPCRouter, tenant } from "../init";
import { NotFoundError } from "@/server/errors";

/** The owner's data export: start it, watch it, and (for the download route) find its file. */
export const exportsRouter = createTRPCRouter({
  latest: tenant("data.export").query(({ ctx }) => latestExport(ctx.db)),

  start: tenant("data.export").mutation(({ ctx }) => requestExport(ctx.db, ctx.restaurant.id)),

  /** Used by GET /api/export/restaurant/<jobId>: only a finished export of the caller's restaurant is found. */
  file: tenant("data.export")
    .input(z.object({ jobId: z.uuid() }).strict())
    .query(async ({ ctx, input }) => {
      const key = await exportObjectKey(ctx.db, input.jobId);
      if (!key) throw new NotFoundError("export_not_found", "This export does not exist or has expired.");
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: ctx.restaurant.timezone }).format(new Date());
      return { key, filename: `restaurant-data-${today}.zip` };
    }),
});
