import { z } from "zod";

/**
 * Every environment variable the app reads, parsed once. Unset means "use the embedded default":
 * PGlite, in-memory cache, in-process jobs, the built-in Poster simulator.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Postgres URL (Neon/Supabase pooler or direct). Unset → embedded PGlite under PGLITE_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Direct (non-pooled) URL for migrations; defaults to DATABASE_URL. */
  DATABASE_URL_DIRECT: z.string().url().optional(),
  /** "false" behind a transaction pooler (PgBouncer, Neon/Supabase pooled URLs). */
  DATABASE_PREPARE: z.enum(["true", "false"]).default("true"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Embedded PGlite data folder; "memory" keeps it in memory. */
  PGLITE_DIR: z.string().default(".data/pglite"),
  /** Public base URL of the app, used for every link we send and for QStash signature checks. */
  APP_URL: z.string().url().default("http://localhost:3000"),
  AUTH_SECRET: z.string().min(16).optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  QSTASH_TOKEN: z.string().optional(),
  QSTASH_URL: z.string().url().optional(),
  QSTASH_CURRENT_SIGNING_KEY: z.string().optional(),
  QSTASH_NEXT_SIGNING_KEY: z.string().optional(),
  /** Comma-separated "kid:base64key" list; the last one encrypts, all decrypt. Unset → dev key file. */
  TOKEN_ENCRYPTION_KEYS: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Restaurant Checklist <no-reply@localhost>"),
  /** "true" shows the local outbox page (/outbox) in production builds too (e2e tests); never with real users. */
  MAIL_OUTBOX_PUBLIC: z.enum(["true", "false"]).default("false"),
  /** Poster API base. Unset → the built-in simulator served by this app at /api/poster-sim. */
  POSTER_API_URL: z.string().url().optional(),
  POSTER_APPLICATION_ID: z.string().default("sim-app"),
  POSTER_APPLICATION_SECRET: z.string().default("sim-secret-change-me"),
  POSTER_SIM_PORT: z.coerce.number().int().default(4010),
  SENTRY_DSN: z.string().optional(),
  /** Browser-side Sentry DSN (public by nature); unset → no browser reporting. */
  NEXT_PUBLIC_SENTRY_DSN: z.string().optional(),
  /** Share of requests traced by Sentry (0–1). */
  SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

function parse(): Env {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  return result.data;
}

let cached: Env | undefined;
/** Read lazily so tests can set process.env before first use. */
export function env(): Env {
  cached ??= parse();
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
