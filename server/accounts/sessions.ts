import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { withPlatform } from "@/db/scope";
import { auditLog, userSessions } from "@/db/schema";
import { log } from "@/server/observability/log";

/**
 * Signed-in devices. Each sign-in records a row whose id travels in the session JWT (`sid`); every request
 * checks it in the same indexed lookup as the session version (server/trpc/init.ts, server/auth/session.ts), so
 * signing out ends that session for good, also for a copied cookie. `tx` is a platform transaction.
 */

/** How long a session lives (the JWT's maxAge): older rows are not listed and are deleted by the daily cleanup. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** last_seen_at is written at most this often per session: the per-request check only reads. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A session id from a decoded token, if it is one (a token without, from before sessions were recorded, has none). */
export function parseSessionId(value: unknown): string | null {
  return typeof value === "string" && UUID.test(value) ? value : null;
}

/** "Chrome on Android": enough for a person to recognise their device; the raw user agent is kept beside it. */
export function deviceLabel(userAgent: string | null): string {
  const ua = userAgent ?? "";
  const browser =
    /\bEdg(?:e|A|iOS)?\//.test(ua) ? "Edge"
    : /\bOPR\/|\bOpera\b/.test(ua) ? "Opera"
    : /\bYaBrowser\//.test(ua) ? "Yandex Browser"
    : /\bFirefox\/|\bFxiOS\//.test(ua) ? "Firefox"
    : /\bChrome\/|\bCriOS\/|\bChromium\//.test(ua) ? "Chrome"
    : /\bSafari\//.test(ua) ? "Safari"
    : "";
  const os =
    /\bAndroid\b/.test(ua) ? "Android"
    : /\biPhone\b|\biPad\b|\biPod\b/.test(ua) ? "iOS"
    : /\bWindows\b/.test(ua) ? "Windows"
    : /\bMac OS X\b|\bMacintosh\b/.test(ua) ? "macOS"
    : /\bCrOS\b/.test(ua) ? "ChromeOS"
    : /\bLinux\b/.test(ua) ? "Linux"
    : "";
  return [browser, os].filter(Boolean).join(" / ");
}

export async function startSession(tx: Tx, input: { userId: string; userAgent: string | null; ip: string | null }): Promise<string> {
  const userAgent = input.userAgent?.slice(0, 512) ?? null;
  const [row] = await tx
    .insert(userSessions)
    .values({ userId: input.userId, userAgent, deviceLabel: deviceLabel(userAgent), ip: input.ip })
    .returning({ id: userSessions.id });
  return row!.id;
}

/** Ends one session of the user (their own only); false when it was not theirs or already ended. */
export async function revokeSession(tx: Tx, userId: string, sessionId: string): Promise<boolean> {
  const rows = await tx
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.revokedAt)))
    .returning({ id: userSessions.id });
  return rows.length > 0;
}

/** "Sign out" on one device of the account page: ends it and audits that the user did. */
export async function signOutDevice(tx: Tx, userId: string, sessionId: string, ip: string | null): Promise<boolean> {
  const ended = await revokeSession(tx, userId, sessionId);
  if (ended) await tx.insert(auditLog).values({ action: "auth.signed_out_device", actorUserId: userId, targetType: "user_session", targetId: sessionId, ip });
  return ended;
}

/** Ends every open session of the user (with the session-version bump: see bumpSessionVersion). */
export async function revokeAllSessions(tx: Tx, userId: string): Promise<void> {
  await tx.update(userSessions).set({ revokedAt: new Date() }).where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
}

export interface DeviceView {
  id: string;
  deviceLabel: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The user's signed-in devices, the most recently seen first. */
export async function listSessions(tx: Tx, userId: string, currentSessionId: string | null): Promise<DeviceView[]> {
  const since = new Date(Date.now() - SESSION_MAX_AGE_SECONDS * 1000);
  const rows = await tx
    .select({ id: userSessions.id, deviceLabel: userSessions.deviceLabel, ip: userSessions.ip, createdAt: userSessions.createdAt, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), gt(userSessions.lastSeenAt, since)))
    .orderBy(desc(userSessions.lastSeenAt))
    .limit(50);
  return rows.map((r) => ({ ...r, current: r.id === currentSessionId }));
}

/** The row fields the per-request check reads (joined on the session id and the user). */
export interface SessionRow {
  sessionId: string | null;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
}

/** A recorded, unrevoked session within its lifetime. */
export function isLiveSession(row: SessionRow, now = Date.now()): boolean {
  return !!row.sessionId && !row.revokedAt && !!row.lastSeenAt && now - row.lastSeenAt.getTime() < SESSION_MAX_AGE_SECONDS * 1000;
}

/**
 * Records that the session was used, when its last_seen_at is older than SESSION_TOUCH_INTERVAL_MS: at most one
 * write per session per interval, off the request's path (a failure only loses a "last seen" time).
 */
export function touchSessionIfStale(row: SessionRow, now = Date.now()): void {
  if (!row.sessionId || !row.lastSeenAt || now - row.lastSeenAt.getTime() < SESSION_TOUCH_INTERVAL_MS) return;
  const sessionId = row.sessionId;
  const staleBefore = new Date(now - SESSION_TOUCH_INTERVAL_MS);
  void withPlatform("auth", (tx) =>
    tx
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(userSessions.id, sessionId), lt(userSessions.lastSeenAt, staleBefore))),
  ).catch((error: unknown) => log.warn("could not record a session's last use", { error }));
}

/** Daily cleanup: sessions ended or expired more than a day ago. */
export async function deleteOldSessions(tx: Tx): Promise<number> {
  const cutoff = new Date(Date.now() - SESSION_MAX_AGE_SECONDS * 1000);
  const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const rows = await tx
    .delete(userSessions)
    .where(or(lt(userSessions.lastSeenAt, cutoff), lt(userSessions.revokedAt, dayAgo)))
    .returning({ id: userSessions.id });
  return rows.length;
}
