import { z } from "zod";
import {
  assignSupplier, cancelOrder, countOrdersByStatus, enqueuePostings, getOrder, listOpenRequests, listOrders, listUnsorted, mergeRequests, openRequestsSummary,
  receiveOrder, removeLine, retryPosting, sendOrder, updateLine, updateOrder,
} from "@/server/purchasing";
import { createTRPCRouter, tenant } from "../init";
import { calendarDay, positiveInt4, storedQuantity, text } from "@/server/validation";
import { ORDER_STATUSES, SEND_CHANNELS } from "@/vocabulary/constants";

const isoDate = calendarDay;
/** Positive decimal with up to 3 places, "2,5" accepted (zero is refused by updateLine). */
const quantity = storedQuantity;
/** The version of the order the form was built on (orders.get answers it); a changed order refuses the write. */
const version = positiveInt4;
const orderStatus = z.enum(ORDER_STATUSES);

export const ordersRouter = createTRPCRouter({
  list: tenant("orders.read")
    .input(
      z
        .object({
          status: z.array(orderStatus).max(5).optional(),
          supplierId: z.uuid().optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          /** The last order of the previous page; absent for the first. */
          cursor: z.object({ deliveryDate: isoDate, number: positiveInt4 }).strict().nullish(),
          limit: z.number().int().min(1).max(100).optional(),
          /** Sent by TanStack's infinite queries with every page; pages only go forward, so it is accepted and unused. */
          direction: z.enum(["forward", "backward"]).optional(),
        })
        .strict()
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const filters = input ?? {};
      const page = await listOrders(ctx.db, filters);
      // The summary and the counts belong to the whole list: answered with the first page only.
      const first = !filters.cursor;
      return {
        ...page,
        statusCounts: first ? await countOrdersByStatus(ctx.db, filters) : null,
        requests: first ? await openRequestsSummary(ctx.db) : null,
      };
    }),

  get: tenant("orders.read")
    .input(z.object({ orderId: z.uuid() }).strict())
    .query(({ ctx, input }) => getOrder(ctx.db, ctx.restaurant, input.orderId)),

  unsorted: tenant("orders.manage")
    .input(
      z
        .object({
          search: text(100).optional(),
          /** The last product of the previous page; absent for the first. */
          cursor: z.object({ name: text(1000, { trim: false }), productId: z.uuid() }).strict().nullish(),
          limit: z.number().int().min(1).max(200).optional(),
          /** Sent by TanStack's infinite queries with every page; pages only go forward, so it is accepted and unused. */
          direction: z.enum(["forward", "backward"]).optional(),
        })
        .strict()
        .optional(),
    )
    .query(({ ctx, input }) => listUnsorted(ctx.db, input ?? {})),

  assignSupplier: tenant("orders.manage")
    .input(z.object({ productIds: z.array(z.uuid()).min(1).max(500), supplierId: z.uuid() }).strict())
    .mutation(({ ctx, input }) => assignSupplier(ctx.db, input)),

  /** The submitted requests waiting to be merged, with their notes and lines. */
  requests: tenant("orders.manage").query(({ ctx }) => listOpenRequests(ctx.db)),

  merge: tenant("orders.manage")
    .input(
      z
        .object({
          deliveryDate: isoDate.optional(),
          /** Merge only these requests (the manager unticked some); absent: all that wait. */
          requestIds: z.array(z.uuid()).min(1).max(200).optional(),
        })
        .strict()
        .optional(),
    )
    .mutation(({ ctx, input }) =>
      mergeRequests(ctx.db, ctx.actor, {
        restaurantId: ctx.restaurant.id,
        timezone: ctx.restaurant.timezone,
        deliveryDate: input?.deliveryDate,
        requestIds: input?.requestIds,
      }),
    ),

  update: tenant("orders.manage")
    .input(z.object({ orderId: z.uuid(), version, note: text(1000).nullable().optional(), deliveryDate: isoDate.optional() }).strict())
    .mutation(({ ctx, input }) => updateOrder(ctx.db, ctx.actor, input)),

  updateLine: tenant("orders.manage")
    .input(z.object({ orderId: z.uuid(), version, lineId: z.uuid(), quantity }).strict())
    .mutation(({ ctx, input }) => updateLine(ctx.db, ctx.actor, input)),

  removeLine: tenant("orders.manage")
    .input(z.object({ orderId: z.uuid(), version, lineId: z.uuid() }).strict())
    .mutation(({ ctx, input }) => removeLine(ctx.db, ctx.actor, input)),

  send: tenant("orders.send")
    .input(z.object({ orderId: z.uuid(), version, channel: z.enum(SEND_CHANNELS) }).strict())
    .mutation(({ ctx, input }) => sendOrder(ctx.db, ctx.actor, ctx.restaurant, input)),

  cancel: tenant("orders.manage")
    .input(z.object({ orderId: z.uuid(), version, reason: text(500).optional() }).strict())
    .mutation(({ ctx, input }) => cancelOrder(ctx.db, ctx.actor, input)),

  receive: tenant("orders.receive")
    .input(
      z
        .object({
          orderId: z.uuid(),
          version,
          idempotencyKey: z.uuid(),
          note: text(1000).optional(),
          lines: z
            .array(
              z
                .object({
                  lineId: z.uuid(),
                  quantity,
                  priceMinor: z.number().int().min(0).max(1_000_000_000_00),
                  missing: z.enum(["keep", "return", "cancel"]).optional(),
                })
                .strict(),
            )
            .max(1000),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await receiveOrder(ctx.db, ctx.actor, input);
      if (!result.replayed) await enqueuePostings(ctx.db, ctx.restaurant.id, result.postings);
      return result;
    }),

  retryPosting: tenant("orders.manage")
    .input(z.object({ postingId: z.uuid() }).strict())
    .mutation(({ ctx, input }) => retryPosting(ctx.db, ctx.actor, input)),
});
