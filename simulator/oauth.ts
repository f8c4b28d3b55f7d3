import { randomBytes } from "node:crypto";
import type { SimAccount } from "./account";
import { readBodyParams } from "./body";
import { json } from "./http";

export interface OAuthContext {
  application: { id: string; secret: string };
  allowedRedirectUris: readonly string[] | null;
  defaultAccount: string;
  findAccount(loginOrNumber: string): SimAccount | undefined;
  now(): number;
}

interface IssuedCode { login: string; redirectUri: string; expiresAt: number }

const CODE_TTL_MS = 10 * 60_000;

/** Poster's OAuth: GET /api/auth → 302 with ?code&account; POST access_token exchanges the code once. */
export class SimOAuth {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly ctx: OAuthContext) {}

  /** `host`: the account whose host the page is on (Poster logs the person into that account). */
  authorize(url: URL, host: SimAccount | null = null): Response {
    const q = url.searchParams;
    const appId = q.get("application_id") ?? q.get("client_id");
    const redirectUri = q.get("redirect_uri");
    if (!appId) return json({ error: { code: 34, message: "Field application_id is required" } }, 400);
    if (appId !== this.ctx.application.id) return json({ error: { code: 143, message: "Application doesn't exist" } }, 400);
    if (!redirectUri) return json({ error: { code: 34, message: "Field redirect_uri is required" } }, 400);
    if (q.get("response_type") !== "code") return json({ error: { code: 155, message: "response_type must be code" } }, 400);
    if (this.ctx.allowedRedirectUris && !this.ctx.allowedRedirectUris.includes(redirectUri)) {
      return json({ error: { code: 155, message: "redirect_uri does not match the application settings" } }, 400);
    }
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return json({ error: { code: 155, message: "redirect_uri must be an absolute URL" } }, 400);
    }
    // On the generic host the simulator lets dev tools name the account (`?account=`); Poster asks the person to log in.
    const account = host ?? this.ctx.findAccount(q.get("account") ?? this.ctx.defaultAccount);
    if (!account) return json({ error: { code: 32, message: "Account does not exist" } }, 404);
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { login: account.profile.login, redirectUri, expiresAt: this.ctx.now() + CODE_TTL_MS });
    target.searchParams.set("code", code);
    target.searchParams.set("account", account.profile.login);
    // Undocumented in Poster: echoed unless the account's `oauthDropsState` knob says Poster did not.
    const state = q.get("state");
    if (state !== null && !account.faults.oauthDropsState) target.searchParams.set("state", state);
    return new Response(null, { status: 302, headers: { location: target.toString() } });
  }

  async exchange(request: Request, legacy: boolean, host: SimAccount | null = null): Promise<Response> {
    const fail = (code: number, errorType: string, message: string) =>
      json({ code, error_type: errorType, error_message: message });
    if (request.method !== "POST") return fail(400, "invalid_request", "POST required");
    const body = await readBodyParams(request);
    if (!body.ok) return fail(400, "invalid_request", body.message);
    const p = body.params;
    const pick = (...keys: string[]) => {
      for (const k of keys) {
        const v = p[k];
        if (typeof v === "string" && v !== "") return v;
      }
      return undefined;
    };
    const appId = pick("application_id", "client_id");
    const secret = pick("application_secret", "client_secret");
    const grantType = pick("grant_type");
    const redirectUri = pick("redirect_uri");
    const code = pick("code");
    for (const [name, value] of [["application_id", appId], ["application_secret", secret], ["grant_type", grantType], ["redirect_uri", redirectUri], ["code", code]] as const) {
      if (!value) return fail(34, "invalid_request", `Field ${name} is required`);
    }
    if (appId !== this.ctx.application.id || secret !== this.ctx.application.secret) {
      return fail(143, "invalid_client", "Application id or secret is not correct");
    }
    if (grantType !== "authorization_code") return fail(155, "unsupported_grant_type", "grant_type must be authorization_code");
    const issued = this.codes.get(code as string);
    // Single use: a code is gone after its first exchange attempt, successful or not.
    this.codes.delete(code as string);
    if (!issued || issued.expiresAt < this.ctx.now()) return fail(400, "invalid_grant", "Code is invalid or already used");
    if (issued.redirectUri !== redirectUri) return fail(400, "invalid_grant", "redirect_uri does not match");
    // Codes are exchanged on their account's host; another account's host does not know them.
    if (host && host.profile.login !== issued.login) return fail(400, "invalid_grant", "Code is invalid or already used");
    const account = this.ctx.findAccount(issued.login);
    if (!account) return fail(400, "invalid_grant", "Account no longer exists");
    // Connecting (again) re-activates the account's token, like reinstalling the app.
    if (!account.appInstalled) account.installApp();
    else account.setTokenState("active");
    const o = account.profile.owner;
    // `user` is whoever approved at Poster (role_id 3 = the account owner); `ownerInfo` is always the owner.
    const u = account.oauthUser ?? { id: o.userId, name: o.name, email: o.email, roleId: 3 };
    return json({
      access_token: account.token,
      ...(legacy ? { new_access_token: account.token } : {}),
      account_number: account.profile.accountNumber,
      user: { id: u.id, name: u.name, email: u.email, role_id: u.roleId },
      ownerInfo: { email: o.email, phone: o.phone, city: o.city, country: o.country, name: o.name, company_name: account.profile.companyName },
    });
  }
}
