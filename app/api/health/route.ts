import { withRouteMetrics } from "@/server/observability/route-metrics";
import { checkHealth } from "@/server/observability/health";

export const dynamic = "force-dynamic";

/** For uptime monitors and load balancers: 200 ok or degraded (Redis), 503 down (Postgres); no secrets. */
export const GET = withRouteMetrics("GET /api/health", async () => {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
});
