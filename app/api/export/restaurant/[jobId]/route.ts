import { downloadExport } from "@/server/http/export-download";
import { createTRPCContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request, { params }: { params: Promise<{ jobId: string }> }) {
  return downloadExport((await params).jobId, await createTRPCContext({ headers: req.headers }));
}
