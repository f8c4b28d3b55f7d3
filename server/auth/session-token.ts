import { decode } from "next-auth/jwt";
import { env } from "@/server/env";
import { claimsOfToken, sessionCookieOptions } from "./config";
import { authSecret } from "./secret";

/**
 * The session claims of a request's cookies, decoded directly: what `auth()` answers for the API, without its
 * detour. `auth()` runs next-auth's whole session endpoint per call (config, the JWT decrypted, then re-encrypted
 * with a new expiry for a Set-Cookie that a route handler's `auth()` throws away, a Response and its JSON parsed
 * again); profiled, that was the largest part of a small tRPC call's CPU. Same token, same secret and salt (the
 * cookie name), same expiry check (jose, 15 s tolerance) and the same claims (claimsOfToken); an invalid, expired or
 * absent token is no session. Pages keep `auth()` (server/auth/session.ts).
 */
export async function sessionFromCookies(cookieHeader: string | null): Promise<{ userId: string; sessionVersion: number; sessionId: string | null } | null> {
  const name = sessionCookieOptions(env().APP_URL).cookies.sessionToken.name;
  const token = sessionCookieValue(cookieHeader, name);
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: authSecret(), salt: name });
    if (!payload) return null;
    const claims = claimsOfToken(payload);
    return claims.userId ? claims : null;
  } catch {
    return null;
  }
}

/** The cookie's value; a token too big for one cookie is split by next-auth into `<name>.0`, `<name>.1`, … */
export function sessionCookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  const cookies = new Map<string, string>();
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (key === name || key.startsWith(`${name}.`)) cookies.set(key, decodeCookie(part.slice(eq + 1).trim()));
  }
  const whole = cookies.get(name);
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join("") : null;
}

function decodeCookie(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
