import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/server/env";
import { requestIdFrom, runWithContext } from "@/server/observability/context";
import { crossSiteError } from "@/server/errors";
import { PRIVATE_NO_STORE } from "@/server/security/headers";
import { isCrossSiteMutation } from "@/server/security/origin";
import { createTRPCContext } from "@/server/trpc/context";
import { toTRPCError } from "@/server/trpc/errors";
import { MAX_BATCH_SIZE } from "@/server/trpc/limits";
import { appRouter } from "@/server/trpc/root";
import { withRouteMetrics } from "@/server/observability/route-metrics";

// Every log line and error report of the request carries its id (and, once known, its user and restaurant).
const handler = withRouteMetrics("/api/trpc", (req: Request) => runWithContext({ requestId: requestIdFrom(req.headers) }, () => trpcHandler(req)));

const trpcHandler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // More calls in one request: a 400 before any of them runs.
    maxBatchSize: MAX_BATCH_SIZE,
    // Answers carry a person's data: never cached by the browser or anything in between.
    responseMeta: () => ({ headers: { "cache-control": PRIVATE_NO_STORE } }),
    // Refused in the context, so every call of the batch gets a tRPC answer (403, reason cross_site) that the
    // client shows as what it is instead of retrying a response it cannot read.
    createContext: ({ resHeaders }) => {
      if (isCrossSiteMutation(req)) throw toTRPCError(crossSiteError(env().APP_URL));
      return createTRPCContext({ headers: req.headers, resHeaders });
    },
  });

export { handler as GET, handler as POST };
