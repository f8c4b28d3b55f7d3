import { z } from "zod";

/**
 * Every environment variable the app reads, parsed once. Unset means "use the embedded default" in development:
 * PGlite, in-memory cache, in-process jobs, the built-in Poster simulator. Production refuses the defaults that
 * would be unsafe there (see productionConfigProblems).
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
  /**
   * Public base URL of the app, used for every link we send, the Origin check and QStash signature checks.
   * Unset (development only; production requires it) → localhost on the port the server really listens on: Next
   * sets PORT when it starts listening (also when it moved off a busy port), before any request or startup hook.
   */
  APP_URL: z
    .string()
    .url()
    .default(() => `http://localhost:${Number(process.env.PORT) || 3000}`),
  AUTH_SECRET: z.string().min(16).optional(),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  /** Serve the access checks from server/cache (see server/tenancy/access-cache.ts); off: Postgres on every call. */
  ACCESS_CACHE: z.enum(["on", "off"]).default("off"),
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
  /** Poster API base. Unset → the built-in simulator served by this app at /api/poster-sim (development, or the demo switch). */
  POSTER_API_URL: z.string().url().optional(),
  /** "embedded": the demo switch. Mounts the built-in simulator (and allows the embedded demo database) in production. */
  POSTER_SIMULATOR: z.enum(["embedded", "off"]).optional(),
  /** Bearer secret for the simulator's control API (/api/poster-sim/sim/*); unset → platform admins only. */
  POSTER_SIM_CONTROL_SECRET: z.string().min(16).optional(),
  /** The Poster application (OAuth, webhook signatures). Required in production; development uses the simulator's. */
  POSTER_APPLICATION_ID: z.string().min(1).optional(),
  POSTER_APPLICATION_SECRET: z.string().min(1).optional(),
  /** Calls per second per Poster account, shared by every instance (spaced 1250/n ms apart: 250 ms of headroom for late arrivals). */
  POSTER_CALLS_PER_SECOND: z.coerce.number().positive().max(100).default(5),
  POSTER_SIM_PORT: z.coerce.number().int().default(4010),
  /** Where the simulator posts its webhooks: an http(s) URL, or "off" (any case) for none. Unset → its default. */
  POSTER_SIM_WEBHOOK_URL: z
    .string()
    .transform((v) => (v.trim().toLowerCase() === "off" ? "off" : v.trim()))
    .pipe(z.union([z.literal("off"), z.url({ protocol: /^https?$/ })]))
    .optional(),
  /** Global feature flags, fixed for this deployment: "poster.writes=off,export.owner=25%" (server/flags/rules.ts). */
  FLAGS: z.string().optional(),
  SENTRY_DSN: z.string().optional(),
  /** Browser-side Sentry DSN (public by nature); unset → no browser reporting. */
  NEXT_PUBLIC_SENTRY_DSN: z.string().optional(),
  /** Share of requests traced by Sentry (0–1). */
  SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Set to "1" by Vercel: the client address then comes from its x-vercel-forwarded-for / x-real-ip. */
  VERCEL: z.string().optional(),
  /** Reverse proxies in front of the app (off Vercel) that append to X-Forwarded-For; 0 = ignore the header. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Backups at rest: "kid:base64key[,...]" like TOKEN_ENCRYPTION_KEYS (the last encrypts). Unset → dev key file. */
  BACKUP_ENCRYPTION_KEYS: z.string().optional(),
  /** Local folder for backups (and owner exports) when no S3 bucket is configured. */
  BACKUP_DIR: z.string().min(1).optional(),
  /** S3-compatible storage (AWS S3, Cloudflare R2, Backblaze B2, MinIO): set the bucket to use it. */
  BACKUP_S3_BUCKET: z.string().min(1).optional(),
  BACKUP_S3_ENDPOINT: z.string().url().optional(),
  BACKUP_S3_REGION: z.string().min(1).default("us-east-1"),
  BACKUP_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  BACKUP_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  BACKUP_S3_PREFIX: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, "a folder path ending in / (or empty)").default(""),
  BACKUP_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  /** Retention: the newest backup of each of the last N days, ISO weeks and months is kept. */
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(7),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(520).default(4),
  BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(240).default(6),
  /** Size of one stored object of a backup (compressed), in MiB. */
  BACKUP_CHUNK_MB: z.coerce.number().min(0.001).max(512).default(8),
  /** One backup job stops starting new tables after this long and continues in a follow-up job. */
  BACKUP_STEP_SECONDS: z.coerce.number().min(0).max(3600).default(200),
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

/** The simulator's published application: only ever used outside production. */
export const DEV_POSTER_APPLICATION = { id: "sim-app", secret: "sim-secret-change-me" } as const;

/** The Poster application this app is; outside production, the simulator's when none is configured. */
export function posterApplication(e: Env = env()): { id: string; secret: string } {
  if (e.POSTER_APPLICATION_ID && e.POSTER_APPLICATION_SECRET) return { id: e.POSTER_APPLICATION_ID, secret: e.POSTER_APPLICATION_SECRET };
  if (e.NODE_ENV === "production") throw new Error("POSTER_APPLICATION_ID and POSTER_APPLICATION_SECRET are required in production.");
  return { id: e.POSTER_APPLICATION_ID ?? DEV_POSTER_APPLICATION.id, secret: e.POSTER_APPLICATION_SECRET ?? DEV_POSTER_APPLICATION.secret };
}

/**
 * Whether this app serves the built-in Poster simulator (at /api/poster-sim and in-process). Never with a real
 * Poster configured; in production only when a person switched it on (POSTER_SIMULATOR=embedded, for demos).
 */
export function simulatorEnabled(e: Env = env()): boolean {
  if (e.POSTER_API_URL || e.POSTER_SIMULATOR === "off") return false;
  return e.NODE_ENV !== "production" || e.POSTER_SIMULATOR === "embedded";
}

/**
 * What a production server would run with that is unsafe or broken: a built-in secret, the simulator or the
 * embedded demo database nobody asked for. The server prints these and exits (server/startup.ts).
 */
export function productionConfigProblems(e: Env, raw: Record<string, string | undefined> = process.env): string[] {
  if (e.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  const demo = e.POSTER_SIMULATOR === "embedded";
  if (!e.AUTH_SECRET) problems.push("AUTH_SECRET is not set: generate one with `openssl rand -base64 32`.");
  if (!e.TOKEN_ENCRYPTION_KEYS?.trim()) problems.push('TOKEN_ENCRYPTION_KEYS is not set: "kid:base64key" with a random 32-byte key (`openssl rand -base64 32`).');
  if (!raw.APP_URL) problems.push("APP_URL is not set: the public URL of this app (https://…), used in every link and check.");
  if (!e.POSTER_APPLICATION_ID) problems.push("POSTER_APPLICATION_ID is not set: the application id from dev.joinposter.com.");
  if (!e.POSTER_APPLICATION_SECRET) problems.push("POSTER_APPLICATION_SECRET is not set: the application secret from dev.joinposter.com (it signs Poster's webhooks).");
  if (e.POSTER_API_URL && demo) problems.push("POSTER_API_URL and POSTER_SIMULATOR=embedded are both set: choose the real Poster or the demo simulator.");
  if (!e.POSTER_API_URL && !demo) {
    problems.push("POSTER_API_URL is not set: set it to https://joinposter.com (the built-in simulator needs POSTER_SIMULATOR=embedded, for demos only).");
  }
  if (!e.DATABASE_URL && !demo) {
    problems.push("DATABASE_URL is not set: production needs Postgres (the embedded database with its demo logins needs POSTER_SIMULATOR=embedded, for demos only).");
  }
  if (!demo) {
    if (!e.BACKUP_ENCRYPTION_KEYS?.trim()) {
      problems.push('BACKUP_ENCRYPTION_KEYS is not set: "kid:base64key" with a random 32-byte key, apart from TOKEN_ENCRYPTION_KEYS (backups cannot be read without it).');
    }
    if (!e.BACKUP_S3_BUCKET && !e.BACKUP_DIR) {
      problems.push("Backup storage is not set: BACKUP_S3_BUCKET (S3, R2, B2, MinIO), or BACKUP_DIR for a folder on a disk that outlives the server.");
    }
  }
  if (e.BACKUP_S3_ACCESS_KEY_ID && !e.BACKUP_S3_SECRET_ACCESS_KEY) problems.push("BACKUP_S3_ACCESS_KEY_ID is set without BACKUP_S3_SECRET_ACCESS_KEY.");
  if (e.UPSTASH_REDIS_REST_URL && !e.UPSTASH_REDIS_REST_TOKEN) problems.push("UPSTASH_REDIS_REST_URL is set without UPSTASH_REDIS_REST_TOKEN.");
  if (e.QSTASH_TOKEN && !e.QSTASH_CURRENT_SIGNING_KEY) problems.push("QSTASH_TOKEN is set without QSTASH_CURRENT_SIGNING_KEY: every job delivery would be refused.");
  return problems;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
