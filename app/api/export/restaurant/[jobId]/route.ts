import { withRouteMetrics } from "@/server/observability/route-metrics";
import { downloadExport } from "@/server/http/export-download";
import { createTRPCContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withRouteMetrics("GET /api/export/restaurant/[jobId]", async (req: Request, { params }: { params: Promise<{ jobId: string }> }) =>
  downloadExport((await params).jobId, await createTRPCContext({ headers: req.headers })),
);
