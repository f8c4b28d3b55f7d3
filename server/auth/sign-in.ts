import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { auditLog, users } from "@/db/schema";
import { createAttemptLimiter, type AttemptLimiter } from "@/server/accounts/attempt-limit";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { password } from "@/server/validation";

export const credentialsSchema = z.object({
  email: z.email().max(254).transform((e) => e.trim().toLowerCase()),
  password: password(256),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
}

export type CredentialsResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rateLimited"; retryAfterSeconds: number };

/** Failed sign-ins allowed per 15 minutes: per e-mail (guessing one account) and per IP (spraying many). */
export const SIGN_IN_LIMITS = {
  email: { limit: 5, windowSeconds: 15 * 60 },
  ip: { limit: 20, windowSeconds: 15 * 60 },
} as const;

let limiter: AttemptLimiter | undefined;
function signInLimiter(): AttemptLimiter {
  limiter ??= createAttemptLimiter("signin", SIGN_IN_LIMITS);
  return limiter;
}

/** Tests swap in a limiter over a given Redis (or memory); undefined goes back to the default. */
export function setSignInLimiterForTests(next: AttemptLimiter | undefined): void {
  limiter = next;
}

let dummyHash: Promise<string> | undefined;
/** Unknown e-mails pay for one hash check too, so response time does not tell which e-mails have accounts. */
function spendVerifyTime(password: string): Promise<boolean> {
  dummyHash ??= hashPassword("timing-equaliser-not-a-password");
  return dummyHash.then((h) => verifyPassword(h, password));
}

/**
 * Checks e-mail and password. Unknown e-mail, wrong password and deactivated user all answer "invalid" (the
 * caller shows one message); the failure is audited without the password. Failures are limited per e-mail and
 * per IP; a locked e-mail or IP answers "rateLimited" before the password is looked at.
 */
export async function checkCredentials(input: unknown, ip: string | null): Promise<CredentialsResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const keys = { email, ip };
  const wait = await signInLimiter().retryAfter(keys);
  if (wait > 0) return { ok: false, reason: "rateLimited", retryAfterSeconds: wait };

  const result = await withPlatform("auth", async (tx): Promise<CredentialsResult> => {
    const [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    const passwordOk = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await spendVerifyTime(password).then(() => false);
    if (!user || !user.isActive || !passwordOk) {
      await tx.insert(auditLog).values({ action: "auth.sign_in_failed", actorUserId: user?.id ?? null, data: { email }, ip });
      return { ok: false, reason: "invalid" };
    }
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
  });

  if (result.ok) {
    await signInLimiter().reset("email", email);
    return result;
  }
  // The failure that reaches the limit is still answered "invalid"; the next attempt is refused.
  await signInLimiter().fail(keys);
  return result;
}
