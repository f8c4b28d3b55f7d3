import type { Tx } from "@/db/client";
import { afterCommit } from "@/db/scope";
import { getCache, RedisCache, type Cache } from "@/server/cache";
import { env } from "@/server/env";

/**
 * What every signed-in call checks before its work, cached (server/cache: Upstash Redis, shared by every
 * instance, else in-process): the user's state (active, session version, platform admin), their membership of a
 * restaurant (role, capabilities, departments) and the restaurant's settings. Keys are namespaced by restaurant.
 *
 * Revocation stays immediate: every write that changes one of these invalidates its key once it has committed
 * (invalidateAfterCommit), and an invalidation also refuses, for a few seconds, the fill of a load that read the
 * database before the write committed. A cached value is only ever a shortcut to "allowed": anything that does not
 * match the session (another version, inactive) is read again from Postgres before refusing. Redis slow or down:
 * a short timeout, then Postgres (server/cache/redis.ts).
 *
 * Off unless ACCESS_CACHE=on. Measured (tests/bench/RESULTS.md): entering a tenant is one round trip either way
 * (set_config, or app_enter_tenant which also reads the access: 0.02 vs about 0.1 ms in Postgres), so on the tenant
 * path the cache only trades Postgres work for a Redis round trip; it saves the separate user-state transaction of
 * non-tenant calls. Invalidations are always written, so turning it on never starts from stale entries.
 */

const NS = "rc:access:v1";

export const accessKeys = {
  user: (userId: string) => `${NS}:user:${userId}`,
  membership: (restaurantId: string, userId: string) => `${NS}:r:${restaurantId}:member:${userId}`,
  restaurant: (restaurantId: string) => `${NS}:r:${restaurantId}:settings`,
};

export interface CachedUser {
  isActive: boolean;
  sessionVersion: number;
  isPlatformAdmin: boolean;
}

export interface CachedMembership {
  membershipId: string;
  role: string;
  canSend: boolean;
  canReceive: boolean;
  isActive: boolean;
  departmentIds: string[];
}

export interface CachedRestaurant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: string;
}

let override: Cache | null = null;
let enabledOverride: boolean | null = null;

export function accessCacheEnabled(): boolean {
  return enabledOverride ?? env().ACCESS_CACHE === "on";
}

/** Tests (and the benchmark's in-process comparison) switch it without touching the environment. */
export function setAccessCacheEnabledForTests(enabled: boolean | null): void {
  enabledOverride = enabled;
}

/** Tests give each simulated app instance its own cache client (sharing one Redis, or not). */
export function setAccessCacheForTests(cache: Cache | null): void {
  override = cache;
}

function cache(): Cache {
  return override ?? getCache();
}

/**
 * Shared Redis: a minute. In-process memory cannot hear other instances' invalidations, so its entries live only a
 * few seconds (one instance, as with the embedded database, still sees its own invalidations at once).
 */
function ttlSeconds(c: Cache): number {
  return c instanceof RedisCache ? 60 : 5;
}

export interface TenantAccess {
  user: CachedUser | undefined;
  membership: CachedMembership | undefined;
  restaurant: CachedRestaurant | undefined;
}

/** The three values of one (restaurant, user) in one round trip. */
export async function readTenantAccess(restaurantId: string, userId: string): Promise<TenantAccess> {
  if (!accessCacheEnabled()) return { user: undefined, membership: undefined, restaurant: undefined };
  const [user, membership, restaurant] = await cache().getMany<unknown>([
    accessKeys.user(userId),
    accessKeys.membership(restaurantId, userId),
    accessKeys.restaurant(restaurantId),
  ]);
  return { user: user as CachedUser | undefined, membership: membership as CachedMembership | undefined, restaurant: restaurant as CachedRestaurant | undefined };
}

/** Caches what was just read from Postgres (an active membership only: a refusal is always read again). */
export async function fillTenantAccess(restaurantId: string, userId: string, access: TenantAccess): Promise<void> {
  if (!accessCacheEnabled()) return;
  const c = cache();
  const ttl = ttlSeconds(c);
  await Promise.all([
    access.user ? c.fill(accessKeys.user(userId), access.user, ttl) : undefined,
    access.membership?.isActive ? c.fill(accessKeys.membership(restaurantId, userId), access.membership, ttl) : undefined,
    access.restaurant ? c.fill(accessKeys.restaurant(restaurantId), access.restaurant, ttl) : undefined,
  ]);
}

/** The user's state, cached; concurrent misses in one process load once. */
export async function cachedUser(userId: string, load: () => Promise<CachedUser | undefined>): Promise<CachedUser | undefined> {
  if (!accessCacheEnabled()) return load();
  const c = cache();
  return c.getOrSet(accessKeys.user(userId), ttlSeconds(c), load);
}

export type AccessChange = { user: string } | { membership: { restaurantId: string; userId: string } } | { restaurant: string };

function keyOf(change: AccessChange): string {
  if ("user" in change) return accessKeys.user(change.user);
  if ("membership" in change) return accessKeys.membership(change.membership.restaurantId, change.membership.userId);
  return accessKeys.restaurant(change.restaurant);
}

/** Drops the cached values `tx` changes, once it has committed (before its caller gets the result). */
export function invalidateAfterCommit(tx: Tx, ...changes: AccessChange[]): void {
  afterCommit(tx, () => invalidateAccess(...changes));
}

export async function invalidateAccess(...changes: AccessChange[]): Promise<void> {
  const c = cache();
  await Promise.all(changes.map((change) => c.invalidate(keyOf(change))));
}
