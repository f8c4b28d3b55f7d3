import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { appAdmin, appUser, createdAt, id, platformOnly, restaurantId, tenantPolicies, updatedAt } from "./_tenant";
import { LOCALES, ROLES } from "@/vocabulary/constants";

export const restaurantStatus = pgEnum("restaurant_status", ["active", "paused"]);
export const membershipRole = pgEnum("membership_role", ROLES);

/** The tenant. Its row is visible inside its own tenant transaction only (policy on `id`). */
export const restaurants = pgTable(
  "restaurants",
  {
    id: id(),
    name: text("name").notNull(),
    posterAccountNumber: text("poster_account_number").unique(),
    posterAccountLogin: text("poster_account_login"),
    currency: text("currency").notNull().default("RUB"),
    timezone: text("timezone").notNull().default("Europe/Moscow"),
    locale: text("locale", { enum: LOCALES }).notNull().default("ru"),
    status: restaurantStatus("status").notNull().default("active"),
    /** Why a platform admin paused it (shown to its owners); null when active. */
    pausedReason: text("paused_reason"),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    /** Disabled by a platform admin: no syncs, no Poster writes, its users see a notice; the data is kept. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => tenantPolicies("restaurants", "id"),
);

/** Global: a person may belong to several restaurants. */
export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash"),
    isPlatformAdmin: boolean("is_platform_admin").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    /** Bumped on deactivation, role change, password reset, sign-out everywhere: older sessions stop working. */
    sessionVersion: integer("session_version").notNull().default(1),
    locale: text("locale", { enum: LOCALES }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    // A tenant sees only the people who belong to it (memberships are themselves tenant-filtered).
    pgPolicy("users_tenant_members", {
      as: "permissive",
      for: "select",
      to: appUser,
      using: sql`exists (select 1 from memberships m where m.user_id = ${t.id})`,
    }),
    pgPolicy("users_platform_access", { as: "permissive", for: "all", to: appAdmin, using: platformOnly, withCheck: platformOnly }),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: membershipRole("role").notNull(),
    canSend: boolean("can_send").notNull().default(false),
    canReceive: boolean("can_receive").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("memberships_restaurant_user_key").on(t.restaurantId, t.userId),
    index("memberships_user_idx").on(t.userId),
    ...tenantPolicies("memberships"),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    email: text("email"),
    role: membershipRole("role").notNull(),
    canSend: boolean("can_send").notNull().default(false),
    canReceive: boolean("can_receive").notNull().default(false),
    departmentIds: uuid("department_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /** sha256 of the token; the token itself exists only in the link. */
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * Set on the e-mail-bound invitation a shareable link spawned when someone gave their address on it: that
     * link's id. Accepting it uses up the link too. (No foreign key: rows are never deleted but with the restaurant.)
     */
    parentId: uuid("parent_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invitations_restaurant_idx").on(t.restaurantId, t.createdAt),
    index("invitations_parent_idx").on(t.restaurantId, t.parentId),
    ...tenantPolicies("invitations"),
  ],
);

/** Global, never visible to app_user. */
/**
 * One signed-in device: its id travels in the session JWT and is checked on every request, so signing out (or
 * out of that device from the account page) ends exactly that session, also for a copied cookie. Global like
 * users; a tenant transaction may read only the columns the per-request check needs, of its members' sessions.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    /** Updated at most every few minutes (server/accounts/sessions.ts), not on every request. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    userAgent: text("user_agent"),
    /** "Chrome on Android", derived from the user agent at sign-in. */
    deviceLabel: text("device_label").notNull().default(""),
    /** The trusted client address at sign-in (server/security/client-address.ts). */
    ip: text("ip"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("user_sessions_user_idx").on(t.userId),
    pgPolicy("user_sessions_tenant_members", {
      as: "permissive",
      for: "select",
      to: appUser,
      using: sql`exists (select 1 from memberships m where m.user_id = ${t.userId})`,
    }),
    pgPolicy("user_sessions_platform_access", { as: "permissive", for: "all", to: appAdmin, using: platformOnly, withCheck: platformOnly }),
  ],
);

export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("password_reset_tokens_user_idx").on(t.userId)],
);
