import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { withPlatform } from "@/db/scope";
import { users } from "@/db/schema";
import { hashPassword } from "@/server/auth/password";
import { resetEnvForTests } from "@/server/env";
import { createCallerFactory, createInnerContext, createTRPCRouter, publicProcedure } from "@/server/trpc/init";
import { closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

/**
 * A procedure whose statement fails is logged by server/trpc/init.ts: the log line carries the Postgres code and
 * the statement with placeholders, never the parameters (issue 9: a failed insert logged the e-mail, the name
 * and the argon2 hash) nor Postgres's message quoting a value.
 */
describe(`failed queries in the log (${testDatabaseKind()})`, () => {
  const saved = process.env.LOG_LEVEL;
  beforeAll(async () => {
    await openTestDatabase();
    process.env.LOG_LEVEL = "error";
    resetEnvForTests();
  });
  afterAll(async () => {
    process.env.LOG_LEVEL = saved;
    resetEnvForTests();
    await closeDatabase();
  });
  afterEach(() => vi.restoreAllMocks());

  function captureStderr(): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  }

  const secretName = `Hidden Name ${Math.random().toString(36).slice(2, 8)}`;
  const router = createTRPCRouter({
    register: publicProcedure.input((v) => v as { email: string; hash: string }).mutation(({ input }) =>
      withPlatform("test", (tx) => tx.insert(users).values({ email: input.email, name: secretName, passwordHash: input.hash })),
    ),
    cast: publicProcedure.input((v) => v as { value: string }).query(({ input }) => withPlatform("test", (tx) => tx.execute(sql`select ${input.value}::uuid`))),
  });
  const caller = createCallerFactory(router)(createInnerContext());

  it("a failing insert's log line has the Postgres code and the statement, not the e-mail, name or password hash", async () => {
    const hash = await hashPassword("a password nobody may log 42");
    const existing = await createUser();
    const lines = captureStderr();
    await expect(caller.register({ email: existing.email, hash })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    const line = lines.find((l) => l.includes("trpc procedure failed"));
    expect(line, lines.join("")).toBeDefined();
    expect(line).toContain("23505");
    expect(line).toContain("users_email_key");
    expect(line).toMatch(/insert into \\"users\\"/i);
    for (const value of [existing.email, secretName, hash, "$argon2"]) expect(line).not.toContain(value);
    expect(line).not.toMatch(/params: (?!\[REDACTED\])/);
  });

  it("a value Postgres quotes in its message (invalid input syntax) is not logged either", async () => {
    const lines = captureStderr();
    const value = "leaked-value@example.test";
    await expect(caller.cast({ value })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    const line = lines.find((l) => l.includes("trpc procedure failed"));
    expect(line).toContain("22P02");
    expect(line).not.toContain(value);
  });
});
