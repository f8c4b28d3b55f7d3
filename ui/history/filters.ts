import { historyFiltersShape } from "@/server/history/filters";
import type { OrderStatus } from "@/vocabulary/constants";

export interface Filters {
  supplierId?: string;
  departmentId?: string;
  status?: OrderStatus;
  dateField?: "delivery" | "created";
  from?: string;
  to?: string;
}

const KEYS = ["supplierId", "departmentId", "status", "dateField", "from", "to"] as const;

/** Filters from a URL: each valid value kept, anything else dropped (an old bookmark never breaks the page). */
export function cleanFilters(raw: Record<string, string | string[] | undefined>): Filters {
  const out: Record<string, string> = {};
  for (const key of KEYS) {
    const value = raw[key];
    if (typeof value !== "string" || value === "") continue;
    if (historyFiltersShape[key].safeParse(value).success) out[key] = value;
  }
  if (out.dateField === "delivery") delete out.dateField;
  if (out.from && out.to && out.from > out.to) delete out.to;
  return out as Filters;
}

export function filtersQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** The list procedure's input for these filters: the server prefetch and the client must build the same key. */
export function listInput(filters: Filters) {
  return { ...filters, limit: 25 };
}
