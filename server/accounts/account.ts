import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { createAttemptLimiter, type AttemptLimiter } from "@/server/accounts/attempt-limit";
import { checkNewPassword, type PasswordCheck } from "@/server/accounts/password-problems";
import { bumpSessionVersion } from "@/server/accounts/session-version";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { password } from "@/server/validation";
import { LOCALES, type Locale } from "@/vocabulary/constants";

/** Functions of the signed-in user's own account. `tx` is a platform transaction (users are global). */

export interface AccountView {
  email: string;
  name: string;
  locale: Locale | null;
}

export async function getAccount(tx: Tx, userId: string): Promise<AccountView | null> {
  const [row] = await tx.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

export const localeInput = z.object({ locale: z.enum(LOCALES).nullable() }).strict();

/** null = follow the restaurant's language. */
export async function setAccountLocale(tx: Tx, userId: string, input: z.infer<typeof localeInput>): Promise<void> {
  await tx.update(users).set({ locale: input.locale, updatedAt: new Date() }).where(eq(users.id, userId));
}

export const changePasswordInput = z
  .object({ currentPassword: password(1024), newPassword: password(1024) })
  .strict();

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; reason: "wrongCurrent" }
  | { ok: false; reason: "rateLimited"; retryAfterSeconds: number }
  | { ok: false; reason: "weakPassword"; check: PasswordCheck };

let limiter: AttemptLimiter | undefined;
/** A stolen session must not become a way to guess the password: wrong current passwords are limited per user. */
function changeLimiter(): AttemptLimiter {
  limiter ??= createAttemptLimiter("password-change", { user: { limit: 5, windowSeconds: 15 * 60 } });
  return limiter;
}

/** Checks the current password, sets the new one and ends every session (this one included): the user signs in again. */
export async function changePassword(
  tx: Tx,
  userId: string,
  input: z.infer<typeof changePasswordInput>,
  ip: string | null,
): Promise<ChangePasswordResult> {
  const wait = await changeLimiter().retryAfter({ user: userId });
  if (wait > 0) return { ok: false, reason: "rateLimited", retryAfterSeconds: wait };
  const [user] = await tx.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await changeLimiter().fail({ user: userId });
    return { ok: false, reason: "wrongCurrent" };
  }
  const weak = checkNewPassword(input.newPassword, { email: user.email });
  if (weak) return { ok: false, reason: "weakPassword", check: weak };
  await tx.update(users).set({ passwordHash: await hashPassword(input.newPassword), updatedAt: new Date() }).where(eq(users.id, userId));
  await bumpSessionVersion(tx, userId);
  await tx.insert(auditLog).values({ action: "auth.password_changed", actorUserId: userId, targetType: "user", targetId: userId, ip });
  await changeLimiter().reset("user", userId);
  return { ok: true };
}

/** Ends every session of the user on its next request. */
export async function signOutEverywhere(tx: Tx, userId: string, ip: string | null): Promise<void> {
  await bumpSessionVersion(tx, userId);
  await tx.insert(auditLog).values({ action: "auth.signed_out_everywhere", actorUserId: userId, targetType: "user", targetId: userId, ip });
}
