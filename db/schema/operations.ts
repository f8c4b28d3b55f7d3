import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, restaurantId, tenantPolicies, updatedAt } from "./_tenant";
import { restaurants, users } from "./tenancy";

export const connectionStatus = pgEnum("connection_status", ["active", "expiring", "needs_reconnect", "disconnected"]);
export const syncTrigger = pgEnum("sync_trigger", ["onboarding", "manual", "schedule", "webhook"]);
export const runStatus = pgEnum("run_status", ["running", "succeeded", "failed"]);
export const jobStatus = pgEnum("job_status", ["queued", "running", "succeeded", "failed", "dead"]);

/** The restaurant's Poster account link. The token is stored only encrypted (AES-256-GCM + key id). */
export const posterConnections = pgTable(
  "poster_connections",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    accountNumber: text("account_number").notNull(),
    accountLogin: text("account_login").notNull(),
    tokenCiphertext: text("token_ciphertext"),
    tokenKeyId: text("token_key_id"),
    status: connectionStatus("status").notNull().default("active"),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    lastError: text("last_error"),
    connectedBy: uuid("connected_by").references(() => users.id, { onDelete: "set null" }),
    connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("poster_connections_restaurant_key").on(t.restaurantId),
    index("poster_connections_key_idx").on(t.restaurantId, t.tokenKeyId),
    ...tenantPolicies("poster_connections"),
  ],
);

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    trigger: syncTrigger("trigger").notNull(),
    /** "full", or the target of a targeted sync ("ingredient:73", "stock:storage:1"). */
    scope: text("scope").notNull().default("full"),
    status: runStatus("status").notNull().default("running"),
    counts: jsonb("counts").$type<Record<string, Record<string, number>>>(),
    /** The first few rows Poster sent that could not be used, named (their number is in `counts`). */
    skippedReasons: jsonb("skipped_reasons").$type<string[]>(),
    /** Account settings this run changed (name, currency, timezone, language): field → { from, to }. */
    settingsChanges: jsonb("settings_changes").$type<Record<string, { from: string; to: string }>>(),
    error: text("error"),
    jobId: uuid("job_id"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("sync_runs_restaurant_started_idx").on(t.restaurantId, t.startedAt), ...tenantPolicies("sync_runs")],
);

/** Background jobs, whichever backend runs them (QStash or in-process). */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    /** Null for platform-wide jobs (the scheduler's fan-out); such rows are invisible to tenants. */
    restaurantId: uuid("restaurant_id").references(() => restaurants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    dedupKey: text("dedup_key").notNull(),
    status: jobStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    progress: jsonb("progress").$type<{ done: number; total: number; label?: string }>(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("jobs_dedup_key").on(t.dedupKey),
    index("jobs_restaurant_kind_idx").on(t.restaurantId, t.kind, t.createdAt),
    index("jobs_status_run_after_idx").on(t.status, t.runAfter),
    ...tenantPolicies("jobs"),
  ],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    restaurantId: uuid("restaurant_id").references(() => restaurants.id, { onDelete: "cascade" }),
    accountNumber: text("account_number"),
    object: text("object"),
    objectId: text("object_id"),
    action: text("action"),
    /** Hash of the signed fields: a repeated delivery is recognised and not applied twice. */
    dedupKey: text("dedup_key").notNull(),
    verified: boolean("verified").notNull(),
    outcome: text("outcome").notNull(),
    error: text("error"),
    /** The payload with any access token removed. */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_events_dedup_key").on(t.dedupKey),
    index("webhook_events_restaurant_received_idx").on(t.restaurantId, t.receivedAt),
    ...tenantPolicies("webhook_events"),
  ],
);

/** Security-relevant actions. Null restaurant = platform-level (admin actions, failed sign-ins). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    restaurantId: uuid("restaurant_id").references(() => restaurants.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_restaurant_created_idx").on(t.restaurantId, t.createdAt), ...tenantPolicies("audit_log")],
);

/** Mail that was not sent over SMTP lands here and is shown on the local outbox page. Global. */
export const mailOutbox = pgTable("mail_outbox", {
  id: id(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html"),
  createdAt: createdAt(),
});


/**
 * Feature flags set by platform admins (server/flags): one row per flag that has been set in the admin console;
 * without a row the environment's or the code's default applies. Global (not a tenant table): `restaurant_ids`
 * names the restaurants a "restaurants" rule lets in. Tenant transactions may read it (flags are checked there).
 */
export const featureFlags = pgTable("feature_flags", {
  key: text("key").primaryKey(),
  /** "off" | "on" | "restaurants" | "percent" (validated by server/flags). */
  mode: text("mode").notNull(),
  restaurantIds: uuid("restaurant_ids").array().notNull().default(sql`'{}'::uuid[]`),
  percent: integer("percent").notNull().default(0),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per-minute rollup of every tRPC procedure, route handler, job kind and Poster method (server/observability/
 * metrics.ts): one row per (minute, kind, name) and process that recorded it, written in one insert per minute.
 * Global, platform only (no tenant reads it); pruned after 30 days by jobs.cleanup.
 */
export const metricRollups = pgTable(
  "metric_rollups",
  {
    id: id(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    /** "procedure" | "route" | "job" | "poster" | "db". */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    count: integer("count").notNull(),
    /** Unexpected failures (not refusals: validation, FORBIDDEN, NOT_FOUND are outcomes, not errors). */
    errors: integer("errors").notNull(),
    sumMs: doublePrecision("sum_ms").notNull(),
    maxMs: doublePrecision("max_ms").notNull(),
    p50Ms: doublePrecision("p50_ms").notNull(),
    p95Ms: doublePrecision("p95_ms").notNull(),
    p99Ms: doublePrecision("p99_ms").notNull(),
    /** The durations' log-scale histogram (bucket → count): minutes merge into hours and days without loss. */
    buckets: jsonb("buckets").$type<Record<string, number>>().notNull(),
  },
  (t) => [index("metric_rollups_minute_idx").on(t.minute), index("metric_rollups_kind_name_minute_idx").on(t.kind, t.name, t.minute)],
);

/**
 * An alert (server/admin/alerts.ts): one row per breach of a success metric, from its first sighting to its
 * recovery; platform admins get one e-mail when it opens and one when it closes. Global, platform only.
 */
export const incidents = pgTable(
  "incidents",
  {
    id: id(),
    /** "stale_sync" | "dead_jobs" | "supply_failing" | "poster_error_rate". */
    rule: text("rule").notNull(),
    /** What breached: a restaurant id, a posting id, or "platform". At most one open incident per (rule, subject). */
    subject: text("subject").notNull(),
    /** What the e-mails and the overview say: restaurant name, counts, rates. */
    details: jsonb("details").$type<Record<string, unknown>>(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("incidents_open_key").on(t.rule, t.subject).where(sql`${t.resolvedAt} is null`),
    index("incidents_opened_idx").on(t.openedAt),
  ],
);
