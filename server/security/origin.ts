import { env } from "@/server/env";

/**
 * State-changing requests must come from our own pages: SameSite cookies plus this Origin check. A request with
 * no Origin (server-to-server, curl) carries no browser cookies worth forging and is let through.
 *
 * Coverage of the other state-changing routes (checked in Next 16.4's app-render/action-handler.js):
 * - Server actions (sign-in, password reset, sign-out, ...): Next itself compares the Origin host with
 *   X-Forwarded-Host / Host and aborts a mismatch ("Invalid Server Actions request") unless
 *   `experimental.serverActions.allowedOrigins` lists it; we set no allowedOrigins.
 * - next-auth's own POST routes (/api/auth/*): its double-submit CSRF token.
 */
export function isCrossSiteMutation(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const allowed = new URL(env().APP_URL).origin;
  return origin !== allowed;
}
