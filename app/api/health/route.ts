import { checkHealth } from "@/server/observability/health";

export const dynamic = "force-dynamic";

/** For uptime monitors and load balancers: 200 ok or degraded (Redis), 503 down (Postgres); no secrets. */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
