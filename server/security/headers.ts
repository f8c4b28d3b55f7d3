/**
 * The browser-facing security headers, one home (used by proxy.ts for every page, and by the tRPC and export routes
 * for `Cache-Control`). Plain functions of their inputs: no env or database imports, so the proxy stays cheap.
 */

/** Answers that carry a person's data (tRPC, exports): never stored by a browser or a shared cache. */
export const PRIVATE_NO_STORE = "private, no-store";

/** Features the app never uses; the clipboard (copy an invitation link) keeps its default (this origin only). */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), browsing-topics=()";

/** Two years, subdomains included: only sent when the app is served over https (APP_URL). */
export const HSTS = "max-age=63072000; includeSubDomains";

/** 16 random bytes, base64: a fresh script nonce per page request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export interface CspOptions {
  nonce: string;
  /** `next dev`: React's dev tools evaluate code and hot reloading uses a websocket. */
  development: boolean;
  /** NEXT_PUBLIC_SENTRY_DSN: the browser reports errors to that host. */
  sentryDsn?: string | undefined;
  /** APP_URL on https: mixed content is upgraded. */
  https: boolean;
}

/**
 * Scripts only with this request's nonce (Next puts it on its own scripts when it finds it in the request's CSP
 * header), and what they load ('strict-dynamic'); no inline script, no plugin, no framing, no foreign form target.
 * Inline styles stay allowed: React's style attributes and Next's dev overlay use them, and they cannot run code.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const connect = ["'self'"];
  if (options.sentryDsn) {
    try {
      connect.push(new URL(options.sentryDsn).origin);
    } catch {
      // A malformed DSN: Sentry does not start in the browser either.
    }
  }
  if (options.development) connect.push("ws:", "wss:");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every header a page answer gets, for one request's nonce. */
export function pageSecurityHeaders(options: CspOptions): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "permissions-policy": PERMISSIONS_POLICY,
    ...(options.https ? { "strict-transport-security": HSTS } : {}),
  };
}
