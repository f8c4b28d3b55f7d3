import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { auditLog, memberships, restaurants, users } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { createPasswordToken, passwordTokenUrl } from "@/server/accounts/password-tokens";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";
import { createPosterClient, exchangeOAuthCode, getDefaultPosterLimiter, posterTarget, type PosterOAuthResult, type PosterSettings } from "@/server/poster";
import { runFullSync } from "@/server/sync";
import { posterTokenStore } from "./token-store";

/** The OAuth `state`, kept in an httpOnly cookie of the browser that started the flow. */
export const OAUTH_STATE_COOKIE = "rc_poster_oauth";
export const OAUTH_STATE_MAX_AGE_S = 600;

export function newOAuthState(): string {
  return randomBytes(24).toString("base64url");
}

export function statesMatch(fromCookie: string | undefined, fromQuery: string | null | undefined): boolean {
  if (!fromCookie || !fromQuery) return false;
  const a = Buffer.from(fromCookie);
  const b = Buffer.from(fromQuery);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function posterCallbackUrl(): string {
  return new URL("/api/poster/callback", env().APP_URL).toString();
}

/** Poster account logins: subdomains. */
export const accountLoginSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/);

/** The connect flow could not name an owner, or similar: shown to the user as is. */
export class PosterConnectError extends Error {
  constructor(readonly reason: "no_owner_email", message: string) {
    super(message);
    this.name = "PosterConnectError";
  }
}

/** Poster's ISO-639 `lang` ("ua" for Ukrainian) → one of our locales; the CIS languages read Russian best. */
export function localeFromPosterLang(lang: string): "ru" | "en" {
  const l = lang.trim().toLowerCase().slice(0, 2);
  if (l === "en") return "en";
  // Unknown: the app's default language, as most Poster accounts are in the CIS.
  if (l === "") return "ru";
  return ["ru", "ua", "uk", "be", "kz", "kk", "uz", "ky", "tg", "hy", "az", "ka", "ro", "tk"].includes(l) ? "ru" : "en";
}

function validTimezone(tz: string): string | null {
  if (!tz) return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

export interface ConnectAccountInput {
  accountNumber: string;
  accountLogin: string;
  token: string;
  settings: PosterSettings;
  oauth: Pick<PosterOAuthResult, "user" | "owner">;
  /** The signed-in user, who becomes the owner; otherwise the Poster owner's e-mail decides. */
  signedInUserId: string | null;
  ip?: string | null;
}

export interface ConnectAccountResult {
  restaurantId: string;
  userId: string;
  created: boolean;
  /** A link to set a first password, for an owner who has none and is not signed in. */
  setupUrl: string | null;
}

/**
 * Creates the restaurant for a Poster account (tenant = account number) or reconnects the existing one, keeping
 * all its data; stores the token; makes the connecting person its owner; audits. Needs a platform transaction.
 */
export async function connectAccount(tx: Tx, input: ConnectAccountInput): Promise<ConnectAccountResult> {
  const { settings } = input;
  const [existing] = await tx.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.posterAccountNumber, input.accountNumber));
  let restaurantId: string;
  if (existing) {
    restaurantId = existing.id;
    await tx.update(restaurants).set({ posterAccountLogin: input.accountLogin }).where(eq(restaurants.id, restaurantId));
  } else {
    const [created] = await tx
      .insert(restaurants)
      .values({
        name: settings.companyName || input.oauth.owner?.companyName || input.accountLogin,
        posterAccountNumber: input.accountNumber,
        posterAccountLogin: input.accountLogin,
        currency: /^[A-Z]{3}$/.test(settings.currency.iso) ? settings.currency.iso : "RUB",
        timezone: validTimezone(settings.timezone) ?? "Europe/Moscow",
        locale: localeFromPosterLang(settings.lang),
      })
      .returning({ id: restaurants.id });
    restaurantId = created!.id;
  }

  let userId = input.signedInUserId;
  let hasPassword = true;
  if (!userId) {
    const email = [input.oauth.user?.email, input.oauth.owner?.email, settings.ownerEmail]
      .map((e) => (e ?? "").trim().toLowerCase())
      .find((e) => z.email().safeParse(e).success);
    if (!email) throw new PosterConnectError("no_owner_email", "Poster did not tell us the owner's e-mail. Sign in first, then connect Poster again.");
    const [found] = await tx.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (found) {
      userId = found.id;
      hasPassword = found.passwordHash !== null;
    } else {
      const name = input.oauth.user?.name || input.oauth.owner?.name || settings.ownerName || "";
      const [created] = await tx.insert(users).values({ email, name, locale: localeFromPosterLang(settings.lang) }).returning({ id: users.id });
      userId = created!.id;
      hasPassword = false;
    }
  }

  const [membership] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.userId, userId)));
  if (membership) {
    await tx.update(memberships).set({ role: "owner", isActive: true, canSend: true, canReceive: true }).where(eq(memberships.id, membership.id));
  } else {
    await tx.insert(memberships).values({ restaurantId, userId, role: "owner", canSend: true, canReceive: true });
  }

  await posterTokenStore.save(tx, restaurantId, { accountNumber: input.accountNumber, accountLogin: input.accountLogin, token: input.token }, { connectedBy: userId });
  await tx.insert(auditLog).values({
    restaurantId,
    actorUserId: userId,
    action: "poster.connect",
    targetType: "restaurant",
    targetId: restaurantId,
    data: { accountNumber: input.accountNumber, accountLogin: input.accountLogin, reconnect: Boolean(existing) },
    ip: input.ip ?? null,
  });

  const setupUrl = !input.signedInUserId && !hasPassword ? passwordTokenUrl(await createPasswordToken(tx, userId, "setup")) : null;
  return { restaurantId, userId, created: !existing, setupUrl };
}

/**
 * The OAuth callback after the state check: exchanges the code, reads the account settings, connects the
 * account in one platform transaction, then runs the first sync (a failed sync leaves a connected restaurant
 * and a failed run the owner can retry).
 */
export async function completePosterConnect(input: { code: string; accountLogin: string; signedInUserId: string | null; ip?: string | null }): Promise<ConnectAccountResult> {
  const target = posterTarget(input.accountLogin);
  const e = env();
  const oauth = await exchangeOAuthCode({
    baseUrl: target.baseUrl,
    applicationId: e.POSTER_APPLICATION_ID,
    applicationSecret: e.POSTER_APPLICATION_SECRET,
    redirectUri: posterCallbackUrl(),
    code: input.code,
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
  const client = createPosterClient({
    baseUrl: target.baseUrl,
    ...(target.fetch ? { fetch: target.fetch } : {}),
    accountNumber: oauth.accountNumber,
    token: oauth.accessToken,
    limiter: getDefaultPosterLimiter(),
  });
  const settings = await client.getAllSettings();
  const result = await withPlatform("oauth", (tx) =>
    connectAccount(tx, {
      accountNumber: oauth.accountNumber,
      accountLogin: settings.login || input.accountLogin,
      token: oauth.accessToken,
      settings,
      oauth,
      signedInUserId: input.signedInUserId,
      ip: input.ip ?? null,
    }),
  );
  try {
    await runFullSync({ restaurantId: result.restaurantId, trigger: "onboarding", client });
  } catch (error) {
    log.warn("the first sync after connecting Poster failed", { restaurantId: result.restaurantId, error });
  }
  return result;
}
