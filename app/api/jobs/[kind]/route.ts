import { handleJobDelivery } from "@/server/jobs/endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Matches vercel.json; handlers chunk their work to stay well inside it. */
export const maxDuration = 300;

export async function POST(request: Request, { params }: { params: Promise<{ kind: string }> }) {
  return handleJobDelivery(request, (await params).kind);
}
