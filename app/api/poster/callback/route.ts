import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/server/security/client-address";
import { getCurrentUser } from "@/server/auth/session";
import { accountLoginSchema, checkOAuthCallback, completePosterConnect, OAUTH_STATE_COOKIE, PosterConnectError } from "@/server/connections";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";
import { PosterError, PosterOAuthError } from "@/server/poster";
import { activeRestaurantCookie } from "@/server/tenancy/cookie";
import { loadMessages } from "@/i18n/messages";
import { withRouteMetrics } from "@/server/observability/route-metrics";

const querySchema = z.object({
  code: z.string().min(1).max(256),
  account: accountLoginSchema,
  // Poster does not promise to echo it (see server/connections/oauth-flow.ts).
  state: z.string().min(1).max(256).optional(),
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type ProblemKey = "expiredState" | "accountMismatch" | "noOwnerEmail" | "oauthFailed" | "unavailable" | "notAccountOwner" | "connectedElsewhere";

/** A plain page in both languages: the user may not be signed in, so there is no locale to pick yet. */
async function problem(status: number, key: ProblemKey): Promise<Response> {
  const [ru, en] = await Promise.all([loadMessages("ru"), loadMessages("en")]);
  const text = (m: Record<string, unknown>) => (m.posterConnect as Record<string, string>);
  const r = text(ru);
  const e = text(en);
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Poster</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.25rem">${escapeHtml(r.title!)} / ${escapeHtml(e.title!)}</h1>
<p role="alert">${escapeHtml(r[key]!)}</p><p lang="en">${escapeHtml(e[key]!)}</p>
<p><a href="/api/poster/connect" style="display:inline-block;padding:.75rem 1rem;background:#059669;color:#fff;border-radius:.5rem;text-decoration:none">${escapeHtml(r.tryAgain!)} / ${escapeHtml(e.tryAgain!)}</a>
<a href="/" style="display:inline-block;padding:.75rem 1rem">${escapeHtml(r.home!)} / ${escapeHtml(e.home!)}</a></p></body></html>`;
  const response = new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
  return clearState(response);
}

function clearState(response: Response): Response {
  response.headers.append("set-cookie", `${OAUTH_STATE_COOKIE}=; Path=/api/poster; HttpOnly; SameSite=Lax; Max-Age=0`);
  return response;
}

export const GET = withRouteMetrics("GET /api/poster/callback", async (request: NextRequest) => {
  const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const cookieState = request.cookies.get(OAUTH_STATE_COOKIE)?.value;
  if (!parsed.success) return problem(400, "expiredState");
  const check = checkOAuthCallback({ cookie: cookieState, state: parsed.data.state, account: parsed.data.account });
  if (!check.ok) {
    log.info("poster connect: callback refused", { reason: check.reason });
    return problem(400, check.reason === "account_mismatch" ? "accountMismatch" : "expiredState");
  }
  const user = await getCurrentUser();
  try {
    const result = await completePosterConnect({ code: parsed.data.code, accountLogin: parsed.data.account, signedInUserId: user?.id ?? null, ip: clientAddress(request.headers) });
    if (!result.ok) return problem(403, result.reason === "not_account_owner" ? "notAccountOwner" : "connectedElsewhere");
    // An owner who was not signed in was e-mailed (a first-password link or a notice): the sign-in page says so.
    const next = user ? "/" : `/sign-in?connected=${result.ownerMail ?? "notice"}`;
    const response = NextResponse.redirect(new URL(next, env().APP_URL), 303);
    response.headers.append("set-cookie", activeRestaurantCookie(result.restaurantId));
    return clearState(response);
  } catch (err) {
    if (err instanceof PosterConnectError) return problem(400, "noOwnerEmail");
    if (err instanceof PosterOAuthError) return problem(400, "oauthFailed");
    if (err instanceof PosterError) {
      log.warn("poster connect: Poster unavailable", { error: err });
      return problem(502, "unavailable");
    }
    throw err;
  }
});
