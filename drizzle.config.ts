import { defineConfig } from "drizzle-kit";

// Migrations run over the direct (non-pooled) URL; `npm run db:migrate` uses db/migrate.ts, not drizzle-kit push.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  entities: { roles: { provider: "", include: [] } },
  dbCredentials: { url: process.env.DATABASE_URL_DIRECT ?? process.env.DATABASE_URL ?? "postgres://localhost:5432/postgres" },
  strict: true,
  verbose: true,
});
