import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createTranslator } from "next-intl";
import { z } from "zod";
import { log } from "@/server/observability/log";
import type { RequestContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import type { Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";
import { csvStream, EXPORT_COLUMNS, exportNumberFormat, xlsxStream, type ExportColumn, type ExportLabels } from "@/server/history/export";
import { historyFiltersShape } from "@/server/history/filters";
import { PRIVATE_NO_STORE } from "@/server/security/headers";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

const queryInput = z.object({ format: z.enum(["csv", "xlsx"]), ...historyFiltersShape }).strict();

/**
 * GET /api/export/orders?format=csv|xlsx&<history filters>. The lines come through the same tRPC procedure
 * (and so the same session, membership and `orders.read` checks in the tenant transaction) as the history page.
 */
export async function exportOrders(url: URL, ctx: RequestContext, locale: Locale | null): Promise<Response> {
  const params = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  const parsed = queryInput.safeParse(params);
  if (!parsed.success) return problem(400, z.prettifyError(parsed.error));
  const { format, ...filters } = parsed.data;

  let result;
  try {
    result = await createCaller(ctx).history.exportLines(filters);
  } catch (err) {
    if (err instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(err);
      if (status >= 500) log.error("order export failed", { error: err.cause ?? err });
      return problem(status, status >= 500 ? "Something went wrong. Please try again." : err.message);
    }
    throw err;
  }

  // Words follow the reader; separators, decimal marks and times follow the restaurant (its Excel, its clock).
  const labels = await exportLabels(locale ?? result.restaurant.locale, result.restaurant);
  const numbers = exportNumberFormat(result.restaurant.locale);
  const body = format === "csv" ? csvStream(result.lines, labels, numbers) : xlsxStream(result.lines, labels, numbers);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: result.restaurant.timezone }).format(new Date());
  return new Response(body, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="purchase-orders-${today}.${format}"`,
      "cache-control": PRIVATE_NO_STORE,
      "x-content-type-options": "nosniff",
    },
  });
}

function problem(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: { "cache-control": PRIVATE_NO_STORE } });
}

async function exportLabels(locale: Locale, restaurant: { timezone: string; currency: string }): Promise<ExportLabels> {
  const messages = await loadMessages(locale);
  // The messages are loaded as plain JSON (no global message types): keys are checked by the i18n unit test.
  const t = createTranslator({ locale, messages, namespace: "history" }) as unknown as (key: string, values?: Record<string, string>) => string;
  const columns = Object.fromEntries(
    EXPORT_COLUMNS.map((c) => [c, t(`export.columns.${c}`, { timezone: restaurant.timezone, currency: restaurant.currency })]),
  ) as Record<ExportColumn, string>;
  const h = messages.history as { status: Record<string, string>; lineStatus: Record<string, string> };
  return { locale, columns, orderStatus: h.status, lineStatus: h.lineStatus, sheet: t("export.sheet"), total: t("export.total") };
}
