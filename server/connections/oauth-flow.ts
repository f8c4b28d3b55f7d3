import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/server/auth/secret";

/**
 * The Connect Poster flow is bound to the browser that started it by a short-lived httpOnly cookie set at
 * /api/poster/connect: `<state>.<issued at, unix s>.<chosen account or "">.<hmac>`, signed with AUTH_SECRET so
 * neither its age nor its account can be edited. Poster does not document echoing `state` (poster-api.md §1.3),
 * so a callback is accepted when its state matches the cookie's, or when it carries no state at all and the
 * cookie is present and fresh; either way, an account chosen at connect must be the callback's account.
 */
export const OAUTH_STATE_COOKIE = "rc_poster_oauth";
export const OAUTH_STATE_MAX_AGE_S = 600;

export interface OAuthFlow {
  state: string;
  /** The cookie's value. */
  cookie: string;
}

function sign(payload: string): string {
  return createHmac("sha256", `poster-oauth:${authSecret()}`).update(payload).digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function startOAuthFlow(input: { account?: string | undefined; now?: number } = {}): OAuthFlow {
  const state = randomBytes(24).toString("base64url");
  const payload = `${state}.${Math.floor((input.now ?? Date.now()) / 1000)}.${input.account ?? ""}`;
  return { state, cookie: `${payload}.${sign(payload)}` };
}

export type OAuthCallbackCheck = { ok: true } | { ok: false; reason: "no_cookie" | "bad_cookie" | "expired" | "state_mismatch" | "account_mismatch" };

/** The callback's check; `state` null/undefined means Poster did not echo it. */
export function checkOAuthCallback(input: { cookie: string | undefined; state: string | null | undefined; account: string; now?: number }): OAuthCallbackCheck {
  if (!input.cookie) return { ok: false, reason: "no_cookie" };
  const parts = input.cookie.split(".");
  if (parts.length !== 4) return { ok: false, reason: "bad_cookie" };
  const [state, issuedAt, account, mac] = parts as [string, string, string, string];
  if (!same(sign(`${state}.${issuedAt}.${account}`), mac) || !/^\d+$/.test(issuedAt)) return { ok: false, reason: "bad_cookie" };
  const ageS = Math.floor((input.now ?? Date.now()) / 1000) - Number(issuedAt);
  if (ageS < 0 || ageS > OAUTH_STATE_MAX_AGE_S) return { ok: false, reason: "expired" };
  if (input.state !== null && input.state !== undefined && !same(state, input.state)) return { ok: false, reason: "state_mismatch" };
  if (account && account !== input.account) return { ok: false, reason: "account_mismatch" };
  return { ok: true };
}
