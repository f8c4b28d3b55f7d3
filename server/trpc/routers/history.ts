import { historyFiltersInput } from "@/server/history/filters";
import { historyListInput, listOrderHistory, listOrderLinesForExport } from "@/server/history/orders";
import { createTRPCRouter, tenant } from "../init";

export const historyRouter = createTRPCRouter({
  /** Purchase orders, newest first, filtered; pages by `cursor` (the last order number seen). */
  list: tenant("orders.read")
    .input(historyListInput)
    .query(({ ctx, input }) => listOrderHistory(ctx.db, input, ctx.restaurant.timezone)),

  /** The filtered orders as one row per line; the export route turns them into CSV or XLSX. */
  exportLines: tenant("orders.read")
    .input(historyFiltersInput)
    .query(async ({ ctx, input }) => ({
      restaurant: { name: ctx.restaurant.name, locale: ctx.restaurant.locale, timezone: ctx.restaurant.timezone, currency: ctx.restaurant.currency },
      lines: await listOrderLinesForExport(ctx.db, input, ctx.restaurant.timezone),
    })),
});
