import { and, asc, eq, gt, inArray, isNotNull } from "drizzle-orm";
import { memberships, posterConnections, restaurants, users } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { getPosterClientForRestaurant, PosterNotConnectedError, posterTokenStore, type PosterConnectionStatus } from "@/server/connections";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail";
import { log } from "@/server/observability/log";
import { PosterAuthError } from "@/server/poster";
import { describeError } from "./store";
import { enqueueJob } from "./queue";

/** Poster tokens live two years and never refresh; within the last 30 days the owner is asked to reconnect. */
export const TOKEN_LIFETIME_MS = 730 * 86_400_000;
export const EXPIRING_WINDOW_MS = 30 * 86_400_000;
/** One tokens.check call stays well inside the job route's 300 s; the rest continues in a follow-up job. */
const CHECK_BUDGET_MS = 200_000;

export type TokenCheckResult = "ok" | "expiring" | "needs_reconnect" | "error" | "skipped";

export function isExpiring(connectedAt: Date, now: Date): boolean {
  return connectedAt.getTime() + TOKEN_LIFETIME_MS - EXPIRING_WINDOW_MS <= now.getTime();
}

/** The link in the e-mail: Poster's OAuth again, with the account preselected. */
export function reconnectUrl(accountLogin: string | null): string {
  const base = `${env().APP_URL.replace(/\/+$/, "")}/api/poster/connect`;
  return accountLogin ? `${base}?account=${encodeURIComponent(accountLogin)}` : base;
}

/**
 * Checks one connection with a cheap call (storage.getStorages) and records the result. A rejected token (11/12)
 * marks it needs_reconnect, which pauses the restaurant's scheduled syncs; an old one is marked expiring. Any
 * change to either state enqueues one e-mail to the owners. Idempotent: it only records what Poster says now.
 */
export async function checkConnection(restaurantId: string, now = new Date()): Promise<TokenCheckResult> {
  let client;
  try {
    client = await withTenant(restaurantId, (tx) => getPosterClientForRestaurant(tx, restaurantId));
  } catch (err) {
    if (err instanceof PosterNotConnectedError) return "skipped";
    throw err;
  }
  let status: PosterConnectionStatus;
  let error: string | null = null;
  let result: TokenCheckResult;
  try {
    await client.getStorages();
    const [row] = await withTenant(restaurantId, (tx) =>
      tx.select({ connectedAt: posterConnections.connectedAt }).from(posterConnections).where(eq(posterConnections.restaurantId, restaurantId)),
    );
    status = row && isExpiring(row.connectedAt, now) ? "expiring" : "active";
    result = status === "expiring" ? "expiring" : "ok";
  } catch (err) {
    if (!(err instanceof PosterAuthError)) {
      // Poster down or a permission problem: record it, keep the state, try again tomorrow.
      await withTenant(restaurantId, (tx) =>
        tx.update(posterConnections).set({ lastCheckedAt: now, lastError: describeError(err) }).where(eq(posterConnections.restaurantId, restaurantId)),
      );
      return "error";
    }
    status = "needs_reconnect";
    error = `Poster rejected the token (${err.reason}, code ${err.code})`;
    result = "needs_reconnect";
  }
  await withTenant(restaurantId, (tx) => posterTokenStore.markStatus(tx, restaurantId, status, error));
  if (status !== "active") await enqueueReconnectNotice(restaurantId);
  return result;
}

/** One e-mail per connection (its connected_at) and state, however often it is asked for. */
export async function enqueueReconnectNotice(restaurantId: string): Promise<void> {
  const [row] = await withTenant(restaurantId, (tx) =>
    tx.select({ status: posterConnections.status, connectedAt: posterConnections.connectedAt }).from(posterConnections).where(eq(posterConnections.restaurantId, restaurantId)),
  );
  if (!row || (row.status !== "needs_reconnect" && row.status !== "expiring")) return;
  await enqueueJob({
    kind: "tokens.notify",
    restaurantId,
    payload: { status: row.status },
    dedupKey: `tokens:notify:${restaurantId}:${row.status}:${row.connectedAt.getTime()}`,
    dedup: "until-success",
  });
}

/** The daily tokens.check job: every connection with a token, in id order, continuing in a follow-up if long. */
export async function checkAllConnections(options: { after?: string; scheduledAt: string; now?: Date }): Promise<Record<string, unknown>> {
  const started = Date.now();
  const rows = await withPlatform("scheduler", (tx) =>
    tx
      .select({ restaurantId: posterConnections.restaurantId, status: posterConnections.status })
      .from(posterConnections)
      .where(and(isNotNull(posterConnections.tokenCiphertext), options.after ? gt(posterConnections.restaurantId, options.after) : undefined))
      .orderBy(asc(posterConnections.restaurantId)),
  );
  const counts: Record<TokenCheckResult, number> = { ok: 0, expiring: 0, needs_reconnect: 0, error: 0, skipped: 0 };
  for (const row of rows) {
    if (Date.now() - started > CHECK_BUDGET_MS) {
      await enqueueJob({
        kind: "tokens.check",
        restaurantId: null,
        payload: { scheduledAt: options.scheduledAt, after: row.restaurantId },
        dedupKey: `tokens:check:${options.scheduledAt}:${row.restaurantId}`,
        dedup: "until-success",
      });
      return { ...counts, continued: true };
    }
    try {
      // A broken connection is not called again daily; it waits for the owner (the notice is still ensured).
      if (row.status === "needs_reconnect") {
        await enqueueReconnectNotice(row.restaurantId);
        counts.needs_reconnect++;
        continue;
      }
      counts[await checkConnection(row.restaurantId, options.now)]++;
    } catch (err) {
      counts.error++;
      log.warn("token check failed", { restaurantId: row.restaurantId, error: err });
    }
  }
  return counts;
}

const NOTICE = {
  ru: {
    needs_reconnect: (name: string) => ({
      subject: `${name}: переподключите Poster`,
      text: `Poster больше не принимает доступ ресторана «${name}». Синхронизация остановлена, пока вы не подключите Poster заново:`,
    }),
    expiring: (name: string) => ({
      subject: `${name}: скоро истекает доступ к Poster`,
      text: `Доступ ресторана «${name}» к Poster скоро истечёт. Подключите Poster заново, чтобы синхронизация не остановилась:`,
    }),
  },
  en: {
    needs_reconnect: (name: string) => ({
      subject: `${name}: reconnect Poster`,
      text: `Poster no longer accepts ${name}'s access. Syncing is paused until you connect Poster again:`,
    }),
    expiring: (name: string) => ({
      subject: `${name}: Poster access expires soon`,
      text: `${name}'s access to Poster expires soon. Connect Poster again so syncing does not stop:`,
    }),
  },
} as const;

/** The tokens.notify job: e-mails the restaurant's active owners a reconnect link, in the restaurant's language. */
export async function sendReconnectNotice(restaurantId: string, status: "needs_reconnect" | "expiring"): Promise<{ sent: number }> {
  const { restaurant, owners } = await withPlatform("mail", async (tx) => {
    const [r] = await tx
      .select({ name: restaurants.name, locale: restaurants.locale, accountLogin: posterConnections.accountLogin })
      .from(restaurants)
      .leftJoin(posterConnections, eq(posterConnections.restaurantId, restaurants.id))
      .where(eq(restaurants.id, restaurantId));
    const o = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.restaurantId, restaurantId), inArray(memberships.role, ["owner"]), eq(memberships.isActive, true), eq(users.isActive, true)));
    return { restaurant: r, owners: o };
  });
  if (!restaurant) return { sent: 0 };
  const texts = NOTICE[restaurant.locale][status](restaurant.name);
  const link = reconnectUrl(restaurant.accountLogin);
  for (const owner of owners) await sendMail({ to: owner.email, subject: texts.subject, text: `${texts.text}\n\n${link}\n` });
  return { sent: owners.length };
}
