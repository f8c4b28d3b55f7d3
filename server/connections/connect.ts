import { and, eq, sql } from "drizzle-orm";
import { invalidateAfterCommit } from "@/server/tenancy/access-cache";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { auditLog, memberships, restaurants, users } from "@/db/schema";
import { afterCommit, withPlatform } from "@/db/scope";
import { createPasswordToken, passwordTokenUrl } from "@/server/accounts/password-tokens";
import { env, posterApplication } from "@/server/env";
import { log } from "@/server/observability/log";
import { createPosterClient, exchangeOAuthCode, getDefaultPosterLimiter, posterTarget, type PosterOAuthResult, type PosterSettings } from "@/server/poster";
import { localeFromPosterLang, restaurantSettingsFrom, runFullSync } from "@/server/sync";
import { mailNewOwner, mailOwnersConnectRefused } from "./notices";
import { posterTokenStore } from "./token-store";

export function posterCallbackUrl(): string {
  return new URL("/api/poster/callback", env().APP_URL).toString();
}

/** Poster account logins: subdomains. */
export const accountLoginSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/);

/** The connect flow could not name an owner: the person is asked to sign in first. */
export class PosterConnectError extends Error {
  constructor(readonly reason: "no_owner_email", message: string) {
    super(message);
    this.name = "PosterConnectError";
  }
}

/** Poster's `user.role_id` of the account owner (poster-api.md §1.3). */
export const POSTER_OWNER_ROLE_ID = 3;

export interface ConnectAccountInput {
  accountNumber: string;
  accountLogin: string;
  token: string;
  settings: PosterSettings;
  oauth: Pick<PosterOAuthResult, "user" | "owner">;
  /** The signed-in user, who becomes the owner of a new restaurant; otherwise the Poster owner's e-mail decides. */
  signedInUserId: string | null;
  ip?: string | null;
}

/**
 * Why a connection was refused: a Poster employee who is not the account owner cannot create a restaurant, and a
 * restaurant already connected to the account is reconnected only by one of its owners, signed in.
 */
export type ConnectRefusal = "not_account_owner" | "connected_elsewhere";

export type ConnectAccountResult =
  | {
      ok: true;
      restaurantId: string;
      userId: string;
      created: boolean;
      /** What was e-mailed to an owner who was not signed in: a first-password link, or a notice to sign in. */
      ownerMail: "setup" | "notice" | null;
    }
  | { ok: false; reason: ConnectRefusal };

async function isActiveOwner(tx: Tx, restaurantId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.userId, userId), eq(memberships.role, "owner"), eq(memberships.isActive, true), eq(users.isActive, true)));
  return Boolean(row);
}

/** A refused attempt: audited (never with the token), and for a connected restaurant its owners are told. */
async function refuse(tx: Tx, input: ConnectAccountInput, reason: ConnectRefusal, restaurantId: string | null): Promise<ConnectAccountResult> {
  await tx.insert(auditLog).values({
    restaurantId,
    actorUserId: input.signedInUserId,
    action: "poster.connect_refused",
    targetType: restaurantId ? "restaurant" : null,
    targetId: restaurantId,
    data: { reason, accountNumber: input.accountNumber, accountLogin: input.accountLogin, posterRoleId: input.oauth.user?.roleId ?? null, signedIn: input.signedInUserId !== null },
    ip: input.ip ?? null,
  });
  if (restaurantId) {
    const at = new Date();
    afterCommit(tx, () => mailOwnersConnectRefused(restaurantId, { signedIn: input.signedInUserId !== null, at }));
  }
  return { ok: false, reason };
}

/**
 * Creates the restaurant for a Poster account (tenant = account number) or reconnects the existing one, keeping
 * all its data; stores the token; audits. Only Poster's account owner creates a restaurant, and only a signed-in
 * owner of the restaurant reconnects it: anything else is refused (audited, owners told) and stores nothing. An
 * owner who was not signed in gets an e-mail (a first-password link or a notice), never a link in the browser.
 * Needs a platform transaction.
 */
export async function connectAccount(tx: Tx, input: ConnectAccountInput): Promise<ConnectAccountResult> {
  const { settings } = input;
  const [existing] = await tx.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.posterAccountNumber, input.accountNumber));
  if (existing) {
    if (!input.signedInUserId || !(await isActiveOwner(tx, existing.id, input.signedInUserId))) return refuse(tx, input, "connected_elsewhere", existing.id);
    await tx.update(restaurants).set({ posterAccountLogin: input.accountLogin }).where(eq(restaurants.id, existing.id));
    await saveAndAudit(tx, input, existing.id, input.signedInUserId, true);
    return { ok: true, restaurantId: existing.id, userId: input.signedInUserId, created: false, ownerMail: null };
  }
  if (input.oauth.user?.roleId !== POSTER_OWNER_ROLE_ID) return refuse(tx, input, "not_account_owner", null);

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

  const [created] = await tx
    .insert(restaurants)
    .values({
      // Every full sync refreshes these from the settings again (the first one runs right after connecting).
      ...restaurantSettingsFrom(settings, { name: input.oauth.owner?.companyName || input.accountLogin }),
      posterAccountNumber: input.accountNumber,
      posterAccountLogin: input.accountLogin,
    })
    .returning({ id: restaurants.id, name: restaurants.name, locale: restaurants.locale });
  const restaurant = created!;
  await tx.insert(memberships).values({ restaurantId: restaurant.id, userId, role: "owner", canSend: true, canReceive: true });
  invalidateAfterCommit(tx, { membership: { restaurantId: restaurant.id, userId } });
  await saveAndAudit(tx, input, restaurant.id, userId, false);

  let ownerMail: "setup" | "notice" | null = null;
  if (!input.signedInUserId) {
    ownerMail = hasPassword ? "notice" : "setup";
    const setupToken = hasPassword ? null : await createPasswordToken(tx, userId, "setup");
    const ownerId = userId;
    afterCommit(tx, () => mailNewOwner(ownerId, { restaurantName: restaurant.name, locale: restaurant.locale, setupUrl: setupToken ? passwordTokenUrl(setupToken) : null }));
  }
  return { ok: true, restaurantId: restaurant.id, userId, created: true, ownerMail };
}

async function saveAndAudit(tx: Tx, input: ConnectAccountInput, restaurantId: string, userId: string, reconnect: boolean): Promise<void> {
  await posterTokenStore.save(tx, restaurantId, { accountNumber: input.accountNumber, accountLogin: input.accountLogin, token: input.token }, { connectedBy: userId });
  await tx.insert(auditLog).values({
    restaurantId,
    actorUserId: userId,
    action: "poster.connect",
    targetType: "restaurant",
    targetId: restaurantId,
    data: { accountNumber: input.accountNumber, accountLogin: input.accountLogin, reconnect },
    ip: input.ip ?? null,
  });
}

/**
 * The OAuth callback after the state check: exchanges the code, reads the account settings, connects the
 * account in one platform transaction, then runs the first sync (a failed sync leaves a connected restaurant
 * and a failed run the owner can retry).
 */
export async function completePosterConnect(input: { code: string; accountLogin: string; signedInUserId: string | null; ip?: string | null }): Promise<ConnectAccountResult> {
  const target = posterTarget(input.accountLogin);
  const application = posterApplication();
  const oauth = await exchangeOAuthCode({
    baseUrl: target.baseUrl,
    applicationId: application.id,
    applicationSecret: application.secret,
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
  if (!result.ok) return result;
  try {
    await runFullSync({ restaurantId: result.restaurantId, trigger: "onboarding", client });
  } catch (error) {
    log.warn("the first sync after connecting Poster failed", { restaurantId: result.restaurantId, error });
  }
  return result;
}
