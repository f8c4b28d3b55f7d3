import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog, mailOutbox, passwordResetTokens, users } from "@/db/schema";
import { createPasswordToken, hashPasswordToken } from "@/server/accounts/password-tokens";
import { isPasswordTokenUsable, requestPasswordReset, resetPassword } from "@/server/accounts/password-reset";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { resetEnvForTests } from "@/server/env";
import { resetMemoryRateLimitsForTests } from "@/server/ratelimit";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

const APP_URL = "https://checklist.example";
const NEW_PASSWORD = "violet tractor sings quietly";
const opts = { ip: "198.51.100.7", locale: "en" as const };

async function outboxFor(to: string) {
  return withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(desc(mailOutbox.createdAt)));
}

function tokenFrom(text: string): string {
  const match = /https:\/\/checklist\.example\/reset-password\/([A-Za-z0-9_-]{43})/.exec(text);
  expect(match, `no reset link in: ${text}`).not.toBeNull();
  return match![1]!;
}

async function newUser() {
  return createUser({ passwordHash: await hashPassword("old password nobody guesses 1"), locale: "en" });
}

describe(`password reset (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    process.env.APP_URL = APP_URL;
    delete process.env.SMTP_URL;
    await openTestDatabase();
    resetEnvForTests();
  });
  afterAll(closeDatabase);
  beforeEach(() => resetMemoryRateLimitsForTests());

  it("answers the same for an unknown e-mail and sends nothing", async () => {
    const user = await newUser();
    const known = await requestPasswordReset({ email: user.email.toUpperCase() }, opts);
    const unknown = await requestPasswordReset({ email: "nobody-here@test.local" }, opts);
    expect(unknown).toEqual(known);
    expect(known).toEqual({ ok: true });
    expect(await outboxFor("nobody-here@test.local")).toHaveLength(0);
    const [mail] = await outboxFor(user.email);
    expect(mail?.subject).toMatch(/reset/i);
    // The link comes from APP_URL; only the token's hash is stored.
    const token = tokenFrom(mail!.text);
    expect(mail!.html).toContain(`${APP_URL}/reset-password/${token}`);
    const stored = await withPlatform("test", (tx) => tx.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(hashPasswordToken(token));
    expect(stored[0]!.tokenHash).not.toContain(token);
    const ttl = stored[0]!.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(55 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
  });

  it("logs the mail's subject and domain, never its link", async () => {
    const user = await newUser();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    process.env.LOG_LEVEL = "info";
    resetEnvForTests();
    try {
      await requestPasswordReset({ email: user.email }, opts);
    } finally {
      spy.mockRestore();
      process.env.LOG_LEVEL = "silent";
      resetEnvForTests();
    }
    const token = tokenFrom((await outboxFor(user.email))[0]!.text);
    const logged = lines.join("");
    expect(logged).toContain("mail stored in outbox");
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(user.email);
  });

  it("sends nothing to a deactivated user", async () => {
    const user = await createUser({ isActive: false });
    expect(await requestPasswordReset({ email: user.email }, opts)).toEqual({ ok: true });
    expect(await outboxFor(user.email)).toHaveLength(0);
  });

  it("limits requests per e-mail, counting unknown addresses alike", async () => {
    const email = "limit-me@test.local";
    for (let i = 0; i < 3; i++) expect(await requestPasswordReset({ email }, { ...opts, ip: null })).toEqual({ ok: true });
    const refused = await requestPasswordReset({ email }, { ...opts, ip: null });
    expect(refused).toMatchObject({ ok: false, reason: "rateLimited" });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("limits requests per IP across e-mails", async () => {
    for (let i = 0; i < 10; i++) expect((await requestPasswordReset({ email: `ip-${i}@test.local` }, { ...opts, ip: "203.0.113.50" })).ok).toBe(true);
    expect((await requestPasswordReset({ email: "ip-last@test.local" }, { ...opts, ip: "203.0.113.50" })).ok).toBe(false);
  });

  it("sets the password once: the token is single-use, other links die, old sessions end, it is audited", async () => {
    const user = await newUser();
    await requestPasswordReset({ email: user.email }, opts);
    await requestPasswordReset({ email: user.email }, opts);
    const [newest, older] = await outboxFor(user.email);
    const token = tokenFrom(newest!.text);
    const otherToken = tokenFrom(older!.text);
    expect(token).not.toBe(otherToken);

    const oldSession = createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId } }));
    expect((await oldSession.account.me()).email).toBe(user.email);

    expect(await isPasswordTokenUsable(token)).toBe(true);
    expect(await resetPassword({ token, password: NEW_PASSWORD }, "198.51.100.7")).toEqual({ ok: true, email: user.email });

    const [after] = await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.id, user.id)));
    expect(await verifyPassword(after!.passwordHash!, NEW_PASSWORD)).toBe(true);
    expect(after!.sessionVersion).toBe(user.sessionVersion + 1);
    await expect(oldSession.account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    // Single use, and the user's other open link is dead too.
    expect(await resetPassword({ token, password: "another fine passphrase 42" }, null)).toEqual({ ok: false, reason: "invalidToken" });
    expect(await isPasswordTokenUsable(otherToken)).toBe(false);
    expect(await resetPassword({ token: otherToken, password: "another fine passphrase 42" }, null)).toEqual({ ok: false, reason: "invalidToken" });

    const audit = await withPlatform("test", (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.action, "auth.password_reset"), eq(auditLog.actorUserId, user.id))),
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("refuses an expired token", async () => {
    const user = await newUser();
    const token = await withPlatform("test", (tx) => createPasswordToken(tx, user.id, "reset"));
    await withPlatform("test", (tx) =>
      tx.update(passwordResetTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResetTokens.tokenHash, hashPasswordToken(token))),
    );
    expect(await isPasswordTokenUsable(token)).toBe(false);
    expect(await resetPassword({ token, password: NEW_PASSWORD }, null)).toEqual({ ok: false, reason: "invalidToken" });
    const [after] = await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.id, user.id)));
    expect(after!.sessionVersion).toBe(user.sessionVersion);
  });

  it("keeps the token usable after a weak password, and refuses garbage tokens", async () => {
    const user = await newUser();
    const token = await withPlatform("test", (tx) => createPasswordToken(tx, user.id, "setup"));
    const weak = await resetPassword({ token, password: "password123" }, null);
    expect(weak).toMatchObject({ ok: false, reason: "weakPassword" });
    expect(await isPasswordTokenUsable(token)).toBe(true);
    expect(await resetPassword({ token: "not-a-token", password: NEW_PASSWORD }, null)).toEqual({ ok: false, reason: "invalidToken" });
    expect(await resetPassword({ token: "A".repeat(43), password: NEW_PASSWORD }, null)).toEqual({ ok: false, reason: "invalidToken" });
    // A setup link (for a new owner) lasts 72 hours.
    const [row] = await withPlatform("test", (tx) => tx.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, hashPasswordToken(token))));
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(71 * 60 * 60 * 1000);
    expect((await resetPassword({ token, password: NEW_PASSWORD }, null)).ok).toBe(true);
  });
});
