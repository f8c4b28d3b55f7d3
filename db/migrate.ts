import { env } from "@/server/env";
import { MIGRATIONS_FOLDER } from "./client";

/** Applies db/migrations to DATABASE_URL_DIRECT (else DATABASE_URL) over a single direct connection. */
export async function migratePostgres(url = env().DATABASE_URL_DIRECT ?? env().DATABASE_URL): Promise<void> {
  if (!url) throw new Error("DATABASE_URL is not set: the embedded PGlite database migrates itself on start.");
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
