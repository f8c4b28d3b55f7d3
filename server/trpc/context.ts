import "server-only";
import { auth } from "@/server/auth/next-auth";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { createInnerContext, type RequestContext } from "./init";

/** The request's context: the decoded session (once per request), the picked restaurant, the client IP. */
export async function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers }): Promise<RequestContext> {
  const session = await auth();
  return createInnerContext({
    session: session?.userId ? { userId: session.userId, sessionVersion: session.sessionVersion } : null,
    requestedRestaurantId: readActiveRestaurant(opts.headers.get("cookie")),
    ip: opts.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
    resHeaders: opts.resHeaders ?? null,
  });
}
