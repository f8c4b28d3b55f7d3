import { handlers } from "@/server/auth/next-auth";
import { withRouteMetrics } from "@/server/observability/route-metrics";

export const GET = withRouteMetrics("GET /api/auth", handlers.GET);
export const POST = withRouteMetrics("POST /api/auth", handlers.POST);
