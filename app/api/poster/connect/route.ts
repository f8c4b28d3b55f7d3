import { type NextRequest, NextResponse } from "next/server";
import { accountLoginSchema, OAUTH_STATE_COOKIE, OAUTH_STATE_MAX_AGE_S, posterCallbackUrl, startOAuthFlow } from "@/server/connections";
import { env, posterApplication } from "@/server/env";
import { buildAuthorizeUrl, posterTarget } from "@/server/poster";
import { withRouteMetrics } from "@/server/observability/route-metrics";

/**
 * Starts "Connect Poster": a fresh random state (and the account chosen, if any) in a short-lived, signed httpOnly
 * cookie of this browser, then Poster's authorize page. `?account=<login>` chooses the account: its own host.
 */
export const GET = withRouteMetrics("GET /api/poster/connect", (request: NextRequest) => {
  const parsed = accountLoginSchema.safeParse(request.nextUrl.searchParams.get("account") ?? undefined);
  const account = parsed.success ? parsed.data : undefined;
  const flow = startOAuthFlow({ account });
  const e = env();
  const location = buildAuthorizeUrl({
    baseUrl: posterTarget(account).publicBaseUrl,
    applicationId: posterApplication().id,
    redirectUri: posterCallbackUrl(),
    state: flow.state,
  });
  const response = NextResponse.redirect(location, 303);
  response.cookies.set(OAUTH_STATE_COOKIE, flow.cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: e.APP_URL.startsWith("https://"),
    path: "/api/poster",
    maxAge: OAUTH_STATE_MAX_AGE_S,
  });
  return response;
});
