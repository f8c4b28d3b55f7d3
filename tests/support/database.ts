import { sql } from "drizzle-orm";
import { closeDatabase, getDatabase } from "@/db/client";
import { migratePostgres } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { memberships, restaurants, users } from "@/db/schema";
import { startSession } from "@/server/accounts/sessions";
import { resetEnvForTests } from "@/server/env";

/**
 * Integration tests run against the real Postgres when TEST_DATABASE_URL is set (CI creates a fresh database),
 * and against an in-memory PGlite otherwise. Both go through the same client code production uses.
 */
export function testDatabaseKind(): "postgres" | "pglite" {
  return process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

let migrated = false;

export async function openTestDatabase() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    process.env.DATABASE_POOL_MAX ??= "5";
  } else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = "memory";
  }
  resetEnvForTests();
  if (process.env.TEST_DATABASE_URL && !migrated) {
    await migratePostgres(process.env.TEST_DATABASE_URL);
    migrated = true;
  }
  return getDatabase();
}

export { closeDatabase };

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A restaurant with no data, for tests that build their own fixtures. */
export async function createRestaurant(overrides: Partial<typeof restaurants.$inferInsert> = {}) {
  return withPlatform("test", async (tx) => {
    const [r] = await tx
      .insert(restaurants)
      .values({ name: `Test ${unique()}`, posterAccountNumber: `9${unique()}`, ...overrides })
      .returning();
    return r!;
  });
}

/** A user, signed in on one device: `sessionId` is that recorded session (for hand-built session claims). */
export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}) {
  return withPlatform("test", async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email: `user-${unique()}@test.local`, name: "Test User", ...overrides })
      .returning();
    const sessionId = await startSession(tx, { userId: u!.id, userAgent: "vitest", ip: null });
    return { ...u!, sessionId };
  });
}

export async function addMembership(values: typeof memberships.$inferInsert) {
  return withPlatform("test", async (tx) => {
    const [m] = await tx.insert(memberships).values(values).returning();
    return m!;
  });
}

export async function countAsPlatform(table: Parameters<typeof sql.identifier>[0]): Promise<number> {
  return withPlatform("test", async (tx) => {
    const result = await tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    return Number(rowsOf<{ n: number }>(result)[0]?.n);
  });
}
