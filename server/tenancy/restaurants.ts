import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments, memberships, restaurants, users } from "@/db/schema";
import { canUseDepartment, type Actor } from "@/server/auth/permissions";

/** The restaurants a user belongs to (platform scope: it spans tenants by nature). */
export async function listUserRestaurants(tx: Tx, userId: string) {
  return tx
    .select({ id: restaurants.id, name: restaurants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.isActive, true)))
    .orderBy(asc(restaurants.name));
}

/** The departments the actor works in, in display order (tenant scope). */
export async function listActorDepartments(tx: Tx, actor: Actor) {
  const rows = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.isArchived, false))
    .orderBy(asc(departments.sortOrder), asc(departments.name));
  return rows.filter((d) => canUseDepartment(actor, d.id));
}

/**
 * Where a user lands after signing in (platform scope): a platform admin who works in no restaurant goes to the
 * admin console; everyone else to the dashboard (which says so when they have no restaurant).
 */
export async function landingPathFor(tx: Tx, email: string): Promise<"/" | "/admin"> {
  const [row] = await tx
    .select({
      isPlatformAdmin: users.isPlatformAdmin,
      memberOf: sql<number>`(select count(*)::int from ${memberships} m where m.user_id = ${users.id} and m.is_active)`,
    })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return row?.isPlatformAdmin && Number(row.memberOf) === 0 ? "/admin" : "/";
}
