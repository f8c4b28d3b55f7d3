import { withRouteMetrics } from "@/server/observability/route-metrics";
import { exportOrders } from "@/server/http/orders-export";
import { createTRPCContext } from "@/server/trpc/context";
import { isLocale, LOCALE_COOKIE } from "@/i18n/locales";

export const dynamic = "force-dynamic";

export const GET = withRouteMetrics("GET /api/export/orders", async (req: Request) => {
  const ctx = await createTRPCContext({ headers: req.headers });
  const picked = readCookie(req.headers.get("cookie"), LOCALE_COOKIE);
  return exportOrders(new URL(req.url), ctx, isLocale(picked) ? picked : null);
});

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}
