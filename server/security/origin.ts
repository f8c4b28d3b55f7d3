import { env } from "@/server/env";

/**
 * State-changing requests must come from our own pages: SameSite cookies plus this Origin check. A request with
 * no Origin (server-to-server, curl) carries no browser cookies worth forging and is let through.
 */
export function isCrossSiteMutation(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const allowed = new URL(env().APP_URL).origin;
  return origin !== allowed;
}
