import { z } from "zod";
import { PosterOAuthError, PosterUnavailableError, redactSecrets } from "./errors";

/**
 * Poster OAuth helpers. The exchange is never retried: a code is single-use, so a retry after
 * a lost response would only turn success into "invalid code".
 */

export function buildAuthorizeUrl(input: {
  baseUrl: string;
  applicationId: string;
  redirectUri: string;
  /** Preselect the account on the simulator's generic host (dev tools); Poster and our app use the account's host. */
  account?: string;
  /** Not documented by Poster: do not rely on it coming back; keep CSRF state in a cookie too. */
  state?: string;
}): string {
  const url = new URL(`${input.baseUrl.replace(/\/+$/, "")}/api/auth`);
  url.searchParams.set("application_id", input.applicationId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("response_type", "code");
  if (input.account) url.searchParams.set("account", input.account);
  if (input.state) url.searchParams.set("state", input.state);
  return url.toString();
}

const text = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === null || v === undefined ? "" : String(v)));

const successSchema = z.object({
  access_token: z.string().regex(/^\d+:[0-9a-f]{32}$/i),
  account_number: z.union([z.string(), z.number()]).transform(String),
  user: z.object({ id: z.union([z.string(), z.number()]).transform(Number), name: text, email: text, role_id: z.union([z.string(), z.number()]).transform(Number).optional() }).optional(),
  ownerInfo: z.object({ email: text, phone: text, city: text, country: text, name: text, company_name: text }).partial().optional(),
});

export interface PosterOAuthResult {
  accessToken: string;
  accountNumber: string;
  user: { id: number; name: string; email: string; roleId: number | null } | null;
  owner: { email: string; phone: string; city: string; country: string; name: string; companyName: string } | null;
}

export async function exchangeOAuthCode(input: {
  /** The host of the callback's `account` (posterTarget(account).baseUrl): Poster exchanges codes there. */
  baseUrl: string;
  applicationId: string;
  applicationSecret: string;
  redirectUri: string;
  code: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<PosterOAuthResult> {
  const fetchImpl = input.fetch ?? ((a, b) => fetch(a, b));
  const redact = (s: string) => redactSecrets(s, [input.applicationSecret, input.code]);
  // Poster's doc asks for form-data.
  const form = new FormData();
  form.set("application_id", input.applicationId);
  form.set("application_secret", input.applicationSecret);
  form.set("grant_type", "authorization_code");
  form.set("redirect_uri", input.redirectUri);
  form.set("code", input.code);
  let body: unknown;
  try {
    const res = await fetchImpl(`${input.baseUrl.replace(/\/+$/, "")}/api/v2/auth/access_token`, {
      method: "POST",
      body: form,
      signal: AbortSignal.timeout(input.timeoutMs ?? 20_000),
    });
    const raw = await res.text();
    try {
      body = JSON.parse(raw);
    } catch {
      throw new PosterUnavailableError(res.status >= 500 ? "http" : "invalid-response", `token exchange: HTTP ${res.status} with a non-JSON body`, undefined, res.status);
    }
  } catch (err) {
    if (err instanceof PosterUnavailableError) throw err;
    throw new PosterUnavailableError("network", redact(`token exchange failed: ${err instanceof Error ? err.message : "unknown"}`));
  }
  const ok = successSchema.safeParse(body);
  if (ok.success) {
    const d = ok.data;
    if (!d.access_token.startsWith(`${d.account_number}:`)) throw new PosterOAuthError(null, "invalid_response", "token does not belong to the returned account");
    return {
      accessToken: d.access_token,
      accountNumber: d.account_number,
      user: d.user ? { id: d.user.id, name: d.user.name, email: d.user.email, roleId: d.user.role_id ?? null } : null,
      owner: d.ownerInfo
        ? { email: d.ownerInfo.email ?? "", phone: d.ownerInfo.phone ?? "", city: d.ownerInfo.city ?? "", country: d.ownerInfo.country ?? "", name: d.ownerInfo.name ?? "", companyName: d.ownerInfo.company_name ?? "" }
        : null,
    };
  }
  // {code, error_type, error_message}, or the flat {error: N, message} / nested {error:{code,message}}.
  const e = (body ?? {}) as Record<string, unknown>;
  const nested = e.error && typeof e.error === "object" ? (e.error as Record<string, unknown>) : null;
  const code = Number(e.code ?? nested?.code ?? e.error);
  const message = String(e.error_message ?? nested?.message ?? e.message ?? "unexpected token response");
  throw new PosterOAuthError(Number.isFinite(code) ? code : null, typeof e.error_type === "string" ? e.error_type : null, redact(message));
}
