import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Database, type Tx } from "./client";

const uuidSchema = z.uuid();

/**
 * Runs `fn` in one transaction scoped to one restaurant: the tenant id and the `app_user` role are set
 * transaction-locally (parameterised, one round trip), so row-level security filters every query, even one
 * without a `where`. Throwing rolls everything back.
 */
export async function withTenant<T>(restaurantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const id = uuidSchema.parse(restaurantId);
  const { db } = await getDatabase();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${id}, true), set_config('role', 'app_user', true)`);
    return fn(tx as Tx);
  });
}

/**
 * The one cross-tenant path (sign-in, membership lookup, the scheduler's fan-out, webhooks' account lookup,
 * the admin area). Runs as `app_admin`; every caller names why, and admin actions are audited by their callers.
 */
export async function withPlatform<T>(reason: PlatformReason, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { db } = await getDatabase();
  return platformTransaction(db, reason, fn);
}

/** withPlatform on a given handle: for the seed, which runs while the handle is being opened. */
export function platformTransaction<T>(db: Database, reason: PlatformReason, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.tenant_id', '', true), set_config('role', 'app_admin', true), set_config('app.platform_reason', ${reason}, true)`,
    );
    return fn(tx as Tx);
  });
}

export type PlatformReason =
  | "auth"
  | "membership"
  | "seed"
  | "scheduler"
  | "jobs"
  | "webhook"
  | "oauth"
  | "admin"
  | "mail"
  | "keys"
  | "test";
