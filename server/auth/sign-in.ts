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

/**
 * Failed sign-ins per 15 minutes. Refused: an address that failed for one e-mail 5 times (guessing one account)
 * or for any e-mails 20 times (spraying many). Per e-mail alone a failure is never a refusal (a stranger with
 * many addresses could lock the owner out): after 5 failures from anywhere every attempt for it is only slowed
 * down, the right password from a new address still signs in. Addresses come from
 * server/security/client-address.ts (never a client-written header).
 */
export const SIGN_IN_LIMITS = {
  emailAtAddress: { limit: 5, windowSeconds: 15 * 60 },
  address: { limit: 20, windowSeconds: 15 * 60 },
} as const;
export const SIGN_IN_SLOWDOWN = { afterFailures: 5, windowSeconds: 15 * 60, delayMs: 2_000 } as const;

interface SignInLimiters {
  refuse: AttemptLimiter;
  slow: AttemptLimiter;
}
let limiters: SignInLimiters | undefined;
function signInLimiters(): SignInLimiters {
  limiters ??= {
    refuse: createAttemptLimiter("signin", SIGN_IN_LIMITS),
    slow: createAttemptLimiter("signin-slow", { email: { limit: SIGN_IN_SLOWDOWN.afterFailures, windowSeconds: SIGN_IN_SLOWDOWN.windowSeconds } }),
  };
  return limiters;
}

/** Tests swap in limiters over a given Redis (or memory); undefined goes back to the default. */
export function setSignInLimitersForTests(next: SignInLimiters | undefined): void {
  limiters = next;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dummyHash: Promise<string> | undefined;
/** Unknown e-mails pay for one hash check too, so response time does not tell which e-mails have accounts. */
function spendVerifyTime(password: string): Promise<boolean> {
  dummyHash ??= hashPassword("timing-equaliser-not-a-password");
  return dummyHash.then((h) => verifyPassword(h, password));
}

/**
 * Checks e-mail and password. Unknown e-mail, wrong password and deactivated user all answer "invalid" (the
 * caller shows one message); the failure is audited without the password. A locked (e-mail, address) pair or
 * address answers "rateLimited" before the password is looked at; an e-mail with many failures is slowed down.
 * `ip` is the trusted client address, null when unknown (then only the slow-down applies).
 */
export async function checkCredentials(input: unknown, ip: string | null): Promise<CredentialsResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const { refuse, slow } = signInLimiters();
  const keys = { emailAtAddress: ip ? `${email} ${ip}` : null, address: ip };
  const wait = await refuse.retryAfter(keys);
  if (wait > 0) return { ok: false, reason: "rateLimited", retryAfterSeconds: wait };
  // Right and wrong passwords wait alike, so the delay tells nothing.
  if ((await slow.retryAfter({ email })) > 0) await sleep(SIGN_IN_SLOWDOWN.delayMs);

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
    if (keys.emailAtAddress) await refuse.reset("emailAtAddress", keys.emailAtAddress);
    await slow.reset("email", email);
    return result;
  }
  // The failure that reaches the limit is still answered "invalid"; the next attempt is refused.
  await Promise.all([refuse.fail(keys), slow.fail({ email })]);
  return result;
}
