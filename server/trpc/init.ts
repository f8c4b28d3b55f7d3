import { initTRPC, TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { z, ZodError } from "zod";
import type { Tx } from "@/db/client";
import { membershipDepartments, memberships, restaurants, users } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { can, type Access, type Actor, type Permission } from "@/server/auth/permissions";
import { ReasonedError, reasonOf } from "@/server/errors";
import { log } from "@/server/observability/log";
import { transformer } from "./transformer";

export interface SessionClaims {
  userId: string;
  /** Must equal users.session_version: bumping it revokes every older session on its next request. */
  sessionVersion: number;
}

/** Everything a procedure may learn from the request. Tests build it by hand with createInnerContext. */
export interface RequestContext {
  session: SessionClaims | null;
  /** The restaurant the user picked (a cookie): only a hint, checked against their membership on every call. */
  requestedRestaurantId: string | null;
  ip: string | null;
  /** Lets a procedure set a cookie (switching restaurant). Null in tests. */
  resHeaders: Headers | null;
}

export function createInnerContext(opts: Partial<RequestContext> = {}): RequestContext {
  return { session: null, requestedRestaurantId: null, ip: null, resHeaders: null, ...opts };
}

export interface Meta {
  /** Every procedure declares what it needs; a test fails for one that does not. */
  access: Access;
}

const t = initTRPC
  .context<RequestContext>()
  .meta<Meta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
      // Never leak internals: unexpected errors reach the client as a generic message (they are logged).
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong. Please try again." : shape.message;
      // A reason the UI translates (server/errors.ts); the message stays as the English fallback.
      const reasoned = reasonOf(error);
      return {
        ...shape,
        message: zod ? describeZodError(error.cause as ZodError) : message,
        data: { ...shape.data, stack: undefined, zodError: zod, reason: reasoned?.reason ?? null, details: reasoned?.details ?? null },
      };
    },
  });

function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

const logErrors = t.middleware(async ({ next, path, type }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    log.error("trpc procedure failed", { path, type, error: result.error.cause ?? result.error });
  }
  return result;
});

export const publicProcedure = t.procedure.use(logErrors);

/** Signed in with a current session of an active user. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw signedOut();
  const [user] = await withPlatform("auth", (tx) =>
    tx
      .select({ id: users.id, isActive: users.isActive, sessionVersion: users.sessionVersion, isPlatformAdmin: users.isPlatformAdmin })
      .from(users)
      .where(eq(users.id, session.userId)),
  );
  assertCurrentSession(user, session);
  return next({ ctx: { session, user: { id: user.id, isPlatformAdmin: user.isPlatformAdmin } } });
});

const signedOut = () => new ReasonedError("UNAUTHORIZED", "signed_out", "Please sign in.");

function assertCurrentSession(
  user: { isActive: boolean; sessionVersion: number } | undefined,
  session: SessionClaims,
): asserts user is { isActive: boolean; sessionVersion: number } & NonNullable<typeof user> {
  if (!user || !user.isActive || user.sessionVersion !== session.sessionVersion) {
    throw new ReasonedError("UNAUTHORIZED", "session_ended", "Your session has ended. Please sign in again.");
  }
}

export const platformAdminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isPlatformAdmin) throw new ReasonedError("FORBIDDEN", "not_allowed", "Platform administrators only.");
  return next();
});

/** Thrown inside the tenant transaction to roll it back when the procedure failed without throwing. */
class RollbackSignal extends Error {}

export interface TenantRestaurant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: "ru" | "en";
}

/**
 * One transaction per call, scoped to the restaurant by row-level security and run as app_user. The user's
 * membership (and session version) is checked inside it, against the database, on every call; the procedure
 * gets the transaction as ctx.db and the permission declared in its meta is enforced.
 */
export const tenantProcedure = publicProcedure.use(async ({ ctx, meta, next }) => {
  const session = ctx.session;
  if (!session) throw signedOut();
  const permission = tenantPermission(meta);
  const restaurantId = ctx.requestedRestaurantId ?? (await defaultRestaurantId(session.userId));
  if (!restaurantId || !z.uuid().safeParse(restaurantId).success) {
    // No restaurant left: say which one they lost, if any, rather than a bare "no access".
    const removed = await removedMembership(session.userId);
    if (removed) throw new ReasonedError("FORBIDDEN", "membership_removed", "Your access to this restaurant was removed.", { restaurantName: removed });
    throw new ReasonedError("FORBIDDEN", "no_restaurant", "You are not a member of any restaurant.");
  }

  const proceed = (db: Tx, actor: Actor, restaurant: TenantRestaurant) => next({ ctx: { db, actor, restaurant } });
  let outcome: Awaited<ReturnType<typeof proceed>> | undefined;
  try {
    await withTenant(restaurantId, async (tx) => {
      const actor = await loadActor(tx, session);
      if (!can(actor, permission)) {
        throw new ReasonedError("FORBIDDEN", "not_allowed", "You do not have permission to do this.");
      }
      const [restaurant] = await tx
        .select({ id: restaurants.id, name: restaurants.name, currency: restaurants.currency, timezone: restaurants.timezone, locale: restaurants.locale })
        .from(restaurants);
      if (!restaurant) throw new TRPCError({ code: "FORBIDDEN", message: "This restaurant is not available." });
      outcome = await proceed(tx, actor, restaurant);
      // A failed procedure must not commit its partial writes.
      if (!outcome.ok) throw new RollbackSignal();
    });
  } catch (err) {
    if (!(err instanceof RollbackSignal)) throw err;
  }
  return outcome!;
});

function tenantPermission(meta: Meta | undefined): Permission {
  const access = meta?.access;
  if (!access || typeof access !== "object") {
    // A programming error, caught by the access-matrix test; refuse rather than guess.
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Procedure declares no tenant permission." });
  }
  return access.tenant;
}

async function loadActor(tx: Tx, session: SessionClaims): Promise<Actor> {
  const [row] = await tx
    .select({
      membershipId: memberships.id,
      role: memberships.role,
      canSend: memberships.canSend,
      canReceive: memberships.canReceive,
      membershipActive: memberships.isActive,
      isActive: users.isActive,
      sessionVersion: users.sessionVersion,
      isPlatformAdmin: users.isPlatformAdmin,
      departmentIds: sql<string[]>`coalesce(array_agg(${membershipDepartments.departmentId}) filter (where ${membershipDepartments.departmentId} is not null), '{}')`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(membershipDepartments, eq(membershipDepartments.membershipId, memberships.id))
    .where(eq(memberships.userId, session.userId))
    .groupBy(memberships.id, users.id);
  if (row) assertCurrentSession(row, session);
  if (row && !row.membershipActive) {
    // They were a member: say of which restaurant, so the UI can tell them their access there was removed.
    const [restaurant] = await tx.select({ name: restaurants.name }).from(restaurants);
    throw new ReasonedError("FORBIDDEN", "membership_removed", "Your access to this restaurant was removed.", { restaurantName: restaurant?.name ?? null });
  }
  if (!row) throw new ReasonedError("FORBIDDEN", "no_restaurant", "You are not a member of this restaurant.");
  return {
    userId: session.userId,
    membershipId: row.membershipId,
    role: row.role,
    canSend: row.canSend,
    canReceive: row.canReceive,
    departmentIds: row.departmentIds,
    isPlatformAdmin: row.isPlatformAdmin,
  };
}

/** The user's first active membership, when they have not picked a restaurant yet. */
export async function defaultRestaurantId(userId: string): Promise<string | null> {
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({ restaurantId: memberships.restaurantId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
      .orderBy(memberships.createdAt)
      .limit(1),
  );
  return row?.restaurantId ?? null;
}

/** The name of the restaurant whose membership of the user was deactivated last, if any. */
async function removedMembership(userId: string): Promise<string | null> {
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({ name: restaurants.name })
      .from(memberships)
      .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
      .where(and(eq(memberships.userId, userId), eq(memberships.isActive, false)))
      .orderBy(desc(memberships.updatedAt))
      .limit(1),
  );
  return row?.name ?? null;
}

/** Helpers that declare access in one place: `tenant("orders.send").input(...).mutation(...)`. */
export const tenant = (permission: Permission) => tenantProcedure.meta({ access: { tenant: permission } });
export const authed = () => authedProcedure.meta({ access: "authenticated" });
export const platformAdmin = () => platformAdminProcedure.meta({ access: "platform-admin" });
export const open = () => publicProcedure.meta({ access: "public" });
