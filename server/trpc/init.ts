import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { z, ZodError } from "zod";
import type { Tx } from "@/db/client";
import { memberships, restaurants, userSessions, users } from "@/db/schema";
import { withPlatform, withTenantEntry, withTenantSession } from "@/db/scope";
import { isLiveSession, touchSessionIfStale, type SessionRow } from "@/server/accounts/sessions";
import { can, type Access, type Actor, type Permission } from "@/server/auth/permissions";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";
import { defaultRestaurantId, pickedRestaurantId } from "@/server/tenancy/active-restaurant";
import { cachedUser, fillTenantAccess, readTenantAccess, type CachedUser, type TenantAccess } from "@/server/tenancy/access-cache";
import { addToContext, currentContext, runWithContext } from "@/server/observability/context";
import { log } from "@/server/observability/log";
import { recordOperation } from "@/server/observability/metrics";
import { reportError } from "@/server/observability/report";
import { reasonOf, toTRPCError } from "./errors";
import { transformer } from "./transformer";
import type { Locale } from "@/vocabulary/constants";

export interface SessionClaims {
  userId: string;
  /** Must equal users.session_version: bumping it revokes every older session on its next request. */
  sessionVersion: number;
  /** The recorded session (user_sessions): must exist, be the user's and not be revoked. */
  sessionId: string | null;
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

const logErrors = t.middleware(async ({ ctx, next, path, type }) => {
  // Each call of a batch gets its own context (same request id): their procedures and restaurants differ.
  const work = { requestId: currentContext()?.requestId ?? randomUUID(), procedure: path, userId: ctx.session?.userId ?? null };
  return runWithContext(work, async () => {
    // Domain errors become their refusal here, the one place (server/trpc/errors.ts): not logged, not reported.
    const started = performance.now();
    let result = await next();
    if (!result.ok) result = { ...result, error: toTRPCError(result.error) };
    // Duration and outcome of every call (server/observability/metrics.ts): refusals are outcomes, not errors.
    recordOperation("procedure", path, performance.now() - started, result.ok ? "ok" : result.error.code === "INTERNAL_SERVER_ERROR" ? "error" : "refused");
    if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
      // The cause, not the TRPCError (whose message copies drizzle's "Failed query … params: …"). A database error
      // is logged as its Postgres code and the statement with placeholders only (server/observability/redact.ts):
      // the parameters are user data (e-mails, names, password hashes).
      const error = result.error.cause ?? result.error;
      log.error("trpc procedure failed", { path, type, error });
      reportError(error, { procedure: path, userId: work.userId, restaurantId: ctx.requestedRestaurantId });
    }
    return result;
  });
});

/** Every procedure: unexpected failures are logged and reported to Sentry (refusals are not). */
export const publicProcedure = t.procedure.use(logErrors);

/** Signed in with a current session of an active user. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw signedOut();
  let user = await cachedUser(session.userId, () => loadUser(session.userId));
  // The cache only ever says "allowed": anything else is read again from Postgres before refusing.
  if (!isCurrentSession(user, session)) user = await loadUser(session.userId);
  assertCurrentSession(user, session);
  await withPlatform("auth", (tx) => assertLiveSession(tx, session));
  return next({ ctx: { session, user: { id: session.userId, isPlatformAdmin: user.isPlatformAdmin } } });
});

/**
 * The recorded session of the claims (signing out ends it, also for a copied cookie): one primary-key lookup,
 * not cached (an ended session must be refused at once). Here in the platform transaction; on the tenant path it
 * is read in the round trip that enters the tenant (app_enter_tenant / app_tenant_session, as app_user, who may
 * read these columns of its members' sessions) and checked by checkLiveSession.
 */
async function assertLiveSession(tx: Tx, session: SessionClaims): Promise<void> {
  const [row] = session.sessionId
    ? await tx
        .select({ sessionId: userSessions.id, revokedAt: userSessions.revokedAt, lastSeenAt: userSessions.lastSeenAt })
        .from(userSessions)
        .where(and(eq(userSessions.id, session.sessionId), eq(userSessions.userId, session.userId)))
    : [];
  checkLiveSession(row);
}

function checkLiveSession(row: SessionRow | null | undefined): void {
  if (!row || !isLiveSession(row)) throw new UnauthorizedError("session_ended", "Your session has ended. Please sign in again.");
  touchSessionIfStale(row);
}

async function loadUser(userId: string): Promise<CachedUser | undefined> {
  const [user] = await withPlatform("auth", (tx) =>
    tx.select({ isActive: users.isActive, sessionVersion: users.sessionVersion, isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)),
  );
  return user;
}

function isCurrentSession(user: { isActive: boolean; sessionVersion: number } | null | undefined, session: SessionClaims): boolean {
  return !!user && user.isActive && user.sessionVersion === session.sessionVersion;
}

const signedOut = () => new UnauthorizedError("signed_out", "Please sign in.");

function assertCurrentSession<U extends { isActive: boolean; sessionVersion: number }>(user: U | null | undefined, session: SessionClaims): asserts user is U {
  if (!isCurrentSession(user, session)) {
    throw new UnauthorizedError("session_ended", "Your session has ended. Please sign in again.");
  }
}

export const platformAdminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isPlatformAdmin) throw new ForbiddenError("not_allowed", "Platform administrators only.");
  return next();
});

/** Thrown inside the tenant transaction to roll it back when the procedure failed without throwing. */
class RollbackSignal extends Error {}

export interface TenantRestaurant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: Locale;
}

/**
 * One transaction per call, scoped to the restaurant by row-level security and run as app_user. The user's
 * membership (and session version) is checked on every call against the access cache (server/tenancy/access-cache.ts,
 * invalidated by every write that changes it) or, on a miss, against the database in the transaction's first and only
 * setup round trip (app_enter_tenant), which also reads the recorded session (app_tenant_session on a hit); the procedure gets the transaction as ctx.db and the permission declared in its
 * meta is enforced.
 */
export const tenantProcedure = publicProcedure.use(async ({ ctx, meta, next }) => {
  const session = ctx.session;
  if (!session) throw signedOut();
  const permission = tenantPermission(meta);
  const restaurantId = pickedRestaurantId(ctx.requestedRestaurantId ?? (await defaultRestaurantId(session.userId)));
  if (!restaurantId) {
    // No restaurant left: say which one they lost, if any, rather than a bare "no access".
    const removed = await removedMembership(session.userId);
    if (removed) throw new ForbiddenError("membership_removed", "Your access to this restaurant was removed.", { restaurantName: removed });
    throw new ForbiddenError("no_restaurant", "You are not a member of any restaurant.");
  }

  addToContext({ restaurantId });
  const proceed = (db: Tx, actor: Actor, restaurant: TenantRestaurant) => next({ ctx: { db, actor, restaurant } });
  let outcome: Awaited<ReturnType<typeof proceed>> | undefined;
  const run = async (tx: Tx, access: TenantAccess, liveSession: SessionRow | null) => {
    const { actor, restaurant } = checkAccess(access, session);
    checkLiveSession(liveSession);
    if (!can(actor, permission)) {
      throw new ForbiddenError("not_allowed", "You do not have permission to do this.");
    }
    outcome = await proceed(tx, actor, restaurant);
    // A failed procedure must not commit its partial writes.
    if (!outcome.ok) throw new RollbackSignal();
  };

  const cached = await readTenantAccess(restaurantId, session.userId);
  const hit = isCurrentSession(cached.user, session) && cached.membership?.isActive === true && cached.restaurant !== undefined;
  let loaded: TenantAccess | null = null;
  try {
    if (hit) {
      await withTenantSession(restaurantId, session.userId, session.sessionId, (tx, live) => run(tx, cached, live));
    } else {
      await withTenantEntry(restaurantId, session.userId, session.sessionId, (tx, entry) => {
        loaded = { user: entry.user ?? undefined, membership: entry.membership ?? undefined, restaurant: entry.restaurant ?? undefined };
        return run(tx, loaded, entry.session);
      });
    }
  } catch (err) {
    if (!(err instanceof RollbackSignal)) throw err;
  } finally {
    // What Postgres said, for the next calls (not awaited by this one; a failure only means a later miss).
    if (loaded) void fillTenantAccess(restaurantId, session.userId, loaded).catch(() => undefined);
  }
  return outcome!;
});

/** The actor and restaurant of a call, or the refusal the UI explains (same reasons whether cached or loaded). */
function checkAccess(access: TenantAccess, session: SessionClaims): { actor: Actor; restaurant: TenantRestaurant } {
  const { user, membership, restaurant } = access;
  if (!membership) throw new ForbiddenError("no_restaurant", "You are not a member of this restaurant.");
  assertCurrentSession(user, session);
  if (!membership.isActive) {
    // They were a member: say of which restaurant, so the UI can tell them their access there was removed.
    throw new ForbiddenError("membership_removed", "Your access to this restaurant was removed.", { restaurantName: restaurant?.name ?? null });
  }
  if (!restaurant) throw new ForbiddenError("restaurant_unavailable", "This restaurant is not available.");
  return {
    actor: {
      userId: session.userId,
      membershipId: membership.membershipId,
      role: membership.role as Actor["role"],
      canSend: membership.canSend,
      canReceive: membership.canReceive,
      departmentIds: membership.departmentIds,
      isPlatformAdmin: user.isPlatformAdmin,
    },
    restaurant: { id: restaurant.id, name: restaurant.name, currency: restaurant.currency, timezone: restaurant.timezone, locale: restaurant.locale as TenantRestaurant["locale"] },
  };
}

function tenantPermission(meta: Meta | undefined): Permission {
  const access = meta?.access;
  if (!access || typeof access !== "object") {
    // A programming error, caught by the access-matrix test; refuse rather than guess.
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Procedure declares no tenant permission." });
  }
  return access.tenant;
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
