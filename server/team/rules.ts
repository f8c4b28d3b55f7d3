import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments, memberships } from "@/db/schema";
import type { Actor, Role } from "@/server/auth/permissions";
import { ConflictError, ForbiddenError, ValidationError } from "@/server/errors";

/** Managers run the team except owners: they can neither touch an owner nor make anyone one. */
export function assertMayManageRole(actor: Actor, role: Role): void {
  if (role === "owner" && actor.role !== "owner") {
    throw new ForbiddenError("owner_only", "Only an owner can invite or change owners.");
  }
}

/** Staff work in departments: at least one, and every id must be a live department of this restaurant. */
export async function checkedDepartments(tx: Tx, role: Role, departmentIds: readonly string[]): Promise<string[]> {
  if (role !== "staff") return [];
  const unique = [...new Set(departmentIds)];
  if (unique.length === 0) {
    throw new ValidationError("staff_needs_department", "Choose at least one department for a staff member.");
  }
  const found = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(and(inArray(departments.id, unique), eq(departments.isArchived, false)));
  if (found.length !== unique.length) {
    throw new ValidationError("department_missing", "One of the chosen departments does not exist.");
  }
  return unique;
}

/** Locks the restaurant's active owners and refuses to leave it without one. */
export async function assertAnotherActiveOwner(tx: Tx, restaurantId: string, membershipId: string): Promise<void> {
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.role, "owner"), eq(memberships.isActive, true)))
    .for("update");
  if (!owners.some((o) => o.id !== membershipId)) {
    throw new ConflictError("last_owner", "A restaurant needs at least one active owner. Make someone else owner first.");
  }
}
