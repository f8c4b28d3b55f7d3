import { withRouteMetrics } from "@/server/observability/route-metrics";
import { handleJobDelivery } from "@/server/jobs/endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Matches vercel.json; handlers chunk their work to stay well inside it. */
export const maxDuration = 300;

export const POST = withRouteMetrics("POST /api/jobs/[kind]", async (request: Request, { params }: { params: Promise<{ kind: string }> }) =>
  handleJobDelivery(request, (await params).kind),
);
