import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/**
 * The HTTP status of a tRPC failure wherever it is seen: in the browser a TRPCClientError carries
 * `data.httpStatus`; during a server-side prefetch the procedure's own TRPCError has only `code`.
 * Null for anything else (a network failure, a bug).
 */
export function httpStatusOf(err: unknown): number | null {
  if (err instanceof TRPCError) return getHTTPStatusCodeFromError(err);
  const status = (err as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  return typeof status === "number" ? status : null;
}
