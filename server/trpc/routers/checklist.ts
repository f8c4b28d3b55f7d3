import { z } from "zod";
import { dashboardSummary, getDraft, loadDepartmentChecklist, saveDraftLine, submitDraft } from "@/server/checklist";
import { createTRPCRouter, tenant } from "../init";
import { plainJson } from "../transformer";
import { text } from "@/server/validation";

const department = z.object({ departmentId: z.uuid() }).strict();

/** Staff fill checklists in their departments (checked by the domain); managers and owners in all. */
export const checklistRouter = createTRPCRouter({
  dashboard: tenant("checklist.fill").query(({ ctx }) => dashboardSummary(ctx.db, ctx.actor)),

  department: tenant("checklist.fill")
    .input(z.object({ departmentId: z.uuid(), search: text(100).optional() }).strict())
    .query(async ({ ctx, input }) => plainJson(await loadDepartmentChecklist(ctx.db, ctx.actor, input))),

  draft: tenant("checklist.fill")
    .input(department)
    .query(({ ctx, input }) => getDraft(ctx.db, ctx.actor, input)),

  /** Idempotent: the same edit sent twice leaves one line with that quantity. "0" or "" removes the line. */
  saveLine: tenant("checklist.fill")
    .input(
      z
        .object({
          departmentId: z.uuid(),
          productId: z.uuid(),
          // Shape only here; the domain parses the decimal and answers BAD_REQUEST with a clear message.
          quantity: text(32),
          /** What the device showed before this edit; another device's change in between is answered as `replaced`. */
          baseQuantity: text(32).optional(),
          clientMutationId: text(64, { min: 1 }).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => saveDraftLine(ctx.db, ctx.actor, { ...input, restaurantId: ctx.restaurant.id })),

  submit: tenant("checklist.fill")
    .input(z.object({ departmentId: z.uuid(), note: text(1000).optional() }).strict())
    .mutation(({ ctx, input }) => submitDraft(ctx.db, ctx.actor, input)),
});
