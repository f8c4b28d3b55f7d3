import "server-only";
import { auth } from "@/server/auth/next-auth";
import { clientAddress } from "@/server/security/client-address";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { createInnerContext, type RequestContext } from "./init";

/** The request's context: the decoded session (once per request), the picked restaurant, the client IP. */
export async function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers }): Promise<RequestContext> {
  const session = await auth();
  return createInnerContext({
    session: session?.userId ? { userId: session.userId, sessionVersion: session.sessionVersion, sessionId: session.sessionId } : null,
    requestedRestaurantId: readActiveRestaurant(opts.headers.get("cookie")),
    ip: clientAddress(opts.headers),
    resHeaders: opts.resHeaders ?? null,
  });
}
