import { eq, sql } from "drizzle-orm";
import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { auditLog, users } from "@/db/schema";
import { bumpSessionVersion } from "@/server/accounts/session-version";
import {
  consumePasswordToken,
  createPasswordToken,
  findValidPasswordToken,
  PASSWORD_TOKEN_PATTERN,
  passwordTokenUrl,
} from "@/server/accounts/password-tokens";
import { checkNewPassword, type PasswordCheck } from "@/server/accounts/password-problems";
import { hashPassword } from "@/server/auth/password";
import { sendMail } from "@/server/mail";
import { log } from "@/server/observability/log";
import { createRateLimiter, type RateLimiter } from "@/server/ratelimit";
import { isLocale, type Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";
import { password } from "@/server/validation";

export const resetRequestSchema = z
  .object({ email: z.email().max(254).transform((e) => e.trim().toLowerCase()) })
  .strict();

export const resetPasswordSchema = z
  .object({ token: z.string().regex(PASSWORD_TOKEN_PATTERN), password: password(1024) })
  .strict();

/** Reset e-mails: a few per address per hour (no mail-bombing), more per IP (an office behind one address). */
export const RESET_LIMITS = {
  email: { limit: 3, windowSeconds: 60 * 60 },
  ip: { limit: 10, windowSeconds: 60 * 60 },
} as const;

let limiters: { email: RateLimiter; ip: RateLimiter } | undefined;
function resetLimiters() {
  limiters ??= {
    email: createRateLimiter({ prefix: "reset:email", ...RESET_LIMITS.email, whenRedisFails: "memory" }),
    ip: createRateLimiter({ prefix: "reset:ip", ...RESET_LIMITS.ip, whenRedisFails: "memory" }),
  };
  return limiters;
}

export type ResetRequestResult = { ok: true } | { ok: false; reason: "rateLimited"; retryAfterSeconds: number };

export interface ResetRequestOptions {
  ip: string | null;
  /** Language of the e-mail when the user has not chosen one. */
  locale: Locale;
  /** Runs the lookup and the mail after the response (Next's `after`), so timing does not reveal accounts. */
  defer?: (work: () => Promise<void>) => void;
}

/**
 * "Forgot your password": the answer is the same whether or not the e-mail has an account (only the rate
 * limit, which counts every address alike, can differ). An active account gets a one-hour single-use link.
 */
export async function requestPasswordReset(input: unknown, options: ResetRequestOptions): Promise<ResetRequestResult> {
  const { email } = resetRequestSchema.parse(input);
  const { email: byEmail, ip: byIp } = resetLimiters();
  const checks = await Promise.all([byEmail.limit(email), options.ip ? byIp.limit(options.ip) : null]);
  const refused = checks.filter((c) => c && !c.success);
  if (refused.length) return { ok: false, reason: "rateLimited", retryAfterSeconds: Math.max(...refused.map((c) => c!.retryAfterSeconds)) };

  const work = async () => {
    try {
      await sendResetMail(email, options);
    } catch (err) {
      log.error("password reset mail failed", { err });
    }
  };
  if (options.defer) options.defer(work);
  else await work();
  return { ok: true };
}

async function sendResetMail(email: string, options: ResetRequestOptions): Promise<void> {
  const found = await withPlatform("auth", async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, isActive: users.isActive, locale: users.locale })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    if (!user?.isActive) return null;
    const token = await createPasswordToken(tx, user.id, "reset");
    await tx.insert(auditLog).values({ action: "auth.password_reset_requested", actorUserId: user.id, targetType: "user", targetId: user.id, ip: options.ip });
    return { user, token };
  });
  if (!found) return;
  const locale = isLocale(found.user.locale) ? found.user.locale : options.locale;
  const translate = createTranslator({ locale, messages: (await loadMessages(locale)) as AbstractIntlMessages });
  const t = (key: string, values?: Record<string, string>) => translate(`passwordReset.${key}` as never, values as never);
  const url = passwordTokenUrl(found.token);
  await sendMail({
    to: found.user.email,
    subject: t("mail.subject"),
    text: t("mail.text", { url }),
    html: `<p>${escapeHtml(t("mail.intro"))}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t("mail.button"))}</a></p><p>${escapeHtml(t("mail.ignore"))}</p>`,
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Whether a reset link can still be used (the page says so before asking for a password). */
export async function isPasswordTokenUsable(token: string): Promise<boolean> {
  if (!PASSWORD_TOKEN_PATTERN.test(token)) return false;
  return withPlatform("auth", async (tx) => !!(await findValidPasswordToken(tx, token)));
}

export type ResetPasswordResult = { ok: true; email: string } | { ok: false; reason: "invalidToken" } | { ok: false; reason: "weakPassword"; check: PasswordCheck };

/**
 * Sets a new password from a reset (or first-password setup) link, in one transaction: the token is consumed
 * (single use; the user's other open links die with it), the session version is bumped so every existing
 * session ends, and the reset is audited. A weak password leaves the token usable.
 */
export async function resetPassword(input: unknown, ip: string | null): Promise<ResetPasswordResult> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalidToken" };
  const { token, password } = parsed.data;
  return withPlatform("auth", async (tx): Promise<ResetPasswordResult> => {
    const valid = await findValidPasswordToken(tx, token);
    if (!valid) return { ok: false, reason: "invalidToken" };
    const [user] = await tx.select({ id: users.id, email: users.email, isActive: users.isActive }).from(users).where(eq(users.id, valid.userId));
    if (!user?.isActive) return { ok: false, reason: "invalidToken" };
    const weak = checkNewPassword(password, { email: user.email });
    if (weak) return { ok: false, reason: "weakPassword", check: weak };
    // Consuming re-checks under the update's row lock: of two concurrent uses only one gets the user id.
    if ((await consumePasswordToken(tx, token)) !== user.id) return { ok: false, reason: "invalidToken" };
    await tx.update(users).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(users.id, user.id));
    await bumpSessionVersion(tx, user.id);
    await tx.insert(auditLog).values({ action: "auth.password_reset", actorUserId: user.id, targetType: "user", targetId: user.id, ip });
    return { ok: true, email: user.email };
  });
}
