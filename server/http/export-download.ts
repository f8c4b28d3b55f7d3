import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { log } from "@/server/observability/log";
import type { RequestContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { readExport } from "@/server/export/export-job";
import { PRIVATE_NO_STORE } from "@/server/security/headers";

/**
 * GET /api/export/restaurant/<jobId>: the zip of a finished export, found through the same tRPC procedure (session,
 * membership, the owner's `data.export`, the tenant transaction) as everything else.
 */
export async function downloadExport(jobId: string, ctx: RequestContext): Promise<Response> {
  let file;
  try {
    file = await createCaller(ctx).exports.file({ jobId });
  } catch (err) {
    if (err instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(err);
      if (status >= 500) log.error("export download failed", { error: err.cause ?? err });
      return Response.json({ error: status >= 500 ? "Something went wrong. Please try again." : err.message }, { status, headers: { "cache-control": PRIVATE_NO_STORE } });
    }
    throw err;
  }
  const zip = await readExport(file.key);
  return new Response(new Uint8Array(zip), {
    headers: {
      "content-type": "application/zip",
      "content-length": String(zip.length),
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": PRIVATE_NO_STORE,
      "x-content-type-options": "nosniff",
    },
  });
}
