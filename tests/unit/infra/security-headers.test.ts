import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, HSTS, newNonce, pageSecurityHeaders } from "@/server/security/headers";

describe("page security headers", () => {
  const base = { nonce: "abc123abc123abc123abcw==", development: false, https: false };

  it("allows scripts only by this request's nonce in production, with no eval and no inline script", () => {
    const csp = contentSecurityPolicy(base);
    expect(csp).toContain("script-src 'self' 'nonce-abc123abc123abc123abcw==' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/object-src 'none'.*base-uri 'self'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("lets the dev server evaluate and hot-reload, and the browser reach Sentry's host when a DSN is set", () => {
    const csp = contentSecurityPolicy({ ...base, development: true, sentryDsn: "https://key@o1.ingest.sentry.io/42" });
    expect(csp).toContain("'unsafe-eval'");
    expect(csp).toContain("connect-src 'self' https://o1.ingest.sentry.io ws: wss:");
    expect(contentSecurityPolicy({ ...base, sentryDsn: "not a url" })).toContain("connect-src 'self';");
  });

  it("sends HSTS (and upgrades mixed content) only when APP_URL is https", () => {
    expect(pageSecurityHeaders(base)["strict-transport-security"]).toBeUndefined();
    const https = pageSecurityHeaders({ ...base, https: true });
    expect(https["strict-transport-security"]).toBe(HSTS);
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
    expect(https["permissions-policy"]).toContain("geolocation=()");
  });

  it("makes a fresh base64 nonce every time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});
