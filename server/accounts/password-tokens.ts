import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { passwordResetTokens } from "@/db/schema";
import { env } from "@/server/env";

export type PasswordTokenPurpose = "reset" | "setup";

/** A reset link is short-lived; a setup link (new owner, set your first password) waits a few days. */
export const PASSWORD_TOKEN_TTL_MS: Readonly<Record<PasswordTokenPurpose, number>> = {
  reset: 60 * 60 * 1000,
  setup: 72 * 60 * 60 * 1000,
};

/** Raw tokens are 32 random bytes in base64url: exactly 43 characters. */
export const PASSWORD_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashPasswordToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Creates a single-use token for `userId` and returns the raw token; only its sha256 is stored.
 * `tx` must be a platform transaction (`withPlatform`): the table is invisible to tenant transactions.
 */
export async function createPasswordToken(tx: Tx, userId: string, purpose: PasswordTokenPurpose): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(passwordResetTokens).values({
    userId,
    tokenHash: hashPasswordToken(token),
    expiresAt: new Date(Date.now() + PASSWORD_TOKEN_TTL_MS[purpose]),
  });
  return token;
}

/** The link to put in an e-mail. Built from APP_URL, never from the request's Host header. */
export function passwordTokenUrl(token: string): string {
  return new URL(`/reset-password/${encodeURIComponent(token)}`, env().APP_URL).toString();
}

/** The user id of a token that exists, is unused and unexpired; null otherwise. Does not consume it. */
export async function findValidPasswordToken(tx: Tx, token: string): Promise<{ id: string; userId: string } | null> {
  if (!PASSWORD_TOKEN_PATTERN.test(token)) return null;
  const [row] = await tx
    .select({ id: passwordResetTokens.id, userId: passwordResetTokens.userId })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, hashPasswordToken(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Atomically consumes a valid token (a concurrent second use finds `used_at` set and gets null) and invalidates
 * every other open token of the same user. Returns the user id.
 */
export async function consumePasswordToken(tx: Tx, token: string): Promise<string | null> {
  if (!PASSWORD_TOKEN_PATTERN.test(token)) return null;
  const now = new Date();
  const [row] = await tx
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, hashPasswordToken(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  if (!row) return null;
  await tx
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
  return row.userId;
}
