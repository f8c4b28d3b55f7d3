import { withRouteMetrics } from "@/server/observability/route-metrics";
import { requestIdFrom, runWithContext } from "@/server/observability/context";
import { handlePosterWebhook } from "@/server/webhooks/poster";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 30;

export const POST = withRouteMetrics("POST /api/webhooks/poster", async (request: Request) => {
  // The webhook's id reaches the sync job it enqueues (server/jobs/queue.ts).
  return runWithContext({ requestId: requestIdFrom(request.headers) }, () => handlePosterWebhook(request));
});
