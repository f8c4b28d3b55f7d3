import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageSecurityHeaders } from "@/server/security/headers";

/**
 * Next 16's proxy (formerly middleware), for pages only: a fresh script nonce per request in the
 * Content-Security-Policy (Next reads it from the request's header and puts it on its scripts), plus
 * Permissions-Policy and, on https, HSTS. No auth work here: every page and procedure checks access itself, and
 * API routes (JSON, files) are not matched at all, so their hot path pays nothing.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const headers = pageSecurityHeaders({
    nonce,
    development: process.env.NODE_ENV === "development",
    sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
    https: (process.env.APP_URL ?? "").startsWith("https://"),
  });
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages; not API routes, Next's static files or prefetches (those carry no scripts to run).
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
