import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { getCurrentUser } from "@/server/auth/session";
import { accountLoginSchema, completePosterConnect, OAUTH_STATE_COOKIE, PosterConnectError, statesMatch } from "@/server/connections";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";
import { PosterError, PosterOAuthError } from "@/server/poster";
import { activeRestaurantCookie } from "@/server/tenancy/cookie";

const querySchema = z.object({
  code: z.string().min(1).max(256),
  account: accountLoginSchema,
  state: z.string().min(1).max(256),
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page in both languages: the user may not be signed in, so there is no locale to pick yet. */
function problem(status: number, ru: string, en: string): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Poster</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.25rem">Не удалось подключить Poster / Could not connect Poster</h1>
<p role="alert">${escapeHtml(ru)}</p><p lang="en">${escapeHtml(en)}</p>
<p><a href="/api/poster/connect" style="display:inline-block;padding:.75rem 1rem;background:#059669;color:#fff;border-radius:.5rem;text-decoration:none">Попробовать снова / Try again</a>
<a href="/" style="display:inline-block;padding:.75rem 1rem">На главную / Home</a></p></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

function clearState(response: Response): Response {
  response.headers.append("set-cookie", `${OAUTH_STATE_COOKIE}=; Path=/api/poster; HttpOnly; SameSite=Lax; Max-Age=0`);
  return response;
}

export async function GET(request: NextRequest) {
  const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const cookieState = request.cookies.get(OAUTH_STATE_COOKIE)?.value;
  if (!parsed.success || !statesMatch(cookieState, parsed.data.state)) {
    return clearState(
      problem(
        400,
        "Ссылка подключения устарела или открыта в другом браузере. Начните подключение заново с этой страницы.",
        "The connection link has expired or was opened in another browser. Please start connecting again from this page.",
      ),
    );
  }
  const user = await getCurrentUser();
  const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
  try {
    const result = await completePosterConnect({ code: parsed.data.code, accountLogin: parsed.data.account, signedInUserId: user?.id ?? null, ip });
    const next = result.setupUrl ?? (user ? "/" : "/sign-in");
    const response = NextResponse.redirect(new URL(next, env().APP_URL), 303);
    response.headers.append("set-cookie", activeRestaurantCookie(result.restaurantId));
    return clearState(response);
  } catch (err) {
    if (err instanceof PosterConnectError) return clearState(problem(400, "Poster не сообщил почту владельца. Войдите в приложение и подключите Poster снова.", err.message));
    if (err instanceof PosterOAuthError) {
      return clearState(problem(400, "Poster не подтвердил подключение (код устарел или уже использован). Начните заново.", "Poster did not confirm the connection (the code expired or was already used). Please start again."));
    }
    if (err instanceof PosterError) {
      log.warn("poster connect: Poster unavailable", { error: err });
      return clearState(problem(502, "Poster сейчас не отвечает. Попробуйте через минуту.", "Poster is not answering right now. Please try again in a minute."));
    }
    throw err;
  }
}
