import { z } from "zod";
import { calendarDay } from "@/server/validation";
import { ORDER_STATUSES } from "@/vocabulary/constants";

/** Plain zod (no database imports): the history page's client code validates URL filters with it too. */

/** The filters the history list and its export share. Dates are calendar days in the restaurant's timezone. */
export const historyFiltersShape = {
  supplierId: z.uuid().optional(),
  /** Orders that have at least one line for this department. */
  departmentId: z.uuid().optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  dateField: z.enum(["delivery", "created"]).default("delivery"),
  from: calendarDay.optional(),
  to: calendarDay.optional(),
};

export const checkRange = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
export const rangeMessage = { message: "The start date must not be after the end date.", path: ["to"] };

export const historyFiltersInput = z.object(historyFiltersShape).strict().refine(checkRange, rangeMessage);
export type HistoryFilters = z.output<typeof historyFiltersInput>;
