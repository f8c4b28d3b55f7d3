import "server-only";
import { sessionFromCookies } from "@/server/auth/session-token";
import { clientAddress } from "@/server/security/client-address";
import { readActiveRestaurant } from "@/server/tenancy/cookie";
import { createInnerContext, type RequestContext } from "./init";

/** The request's context: the session token decoded once per request (directly, not through auth()), the picked restaurant, the client IP. */
export async function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers }): Promise<RequestContext> {
  const session = await sessionFromCookies(opts.headers.get("cookie"));
  return createInnerContext({
    session,
    requestedRestaurantId: readActiveRestaurant(opts.headers.get("cookie")),
    ip: clientAddress(opts.headers),
    resHeaders: opts.resHeaders ?? null,
  });
}
