import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments } from "@/db/schema";
import { canUseDepartment, type Actor } from "@/server/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/server/errors";

/** Refuses a department the actor does not work in (staff: their own only); no SQL. */
export function assertWorksIn(actor: Actor, departmentId: string): void {
  if (!canUseDepartment(actor, departmentId)) {
    throw new ForbiddenError("not_your_department", "You do not work in this department.");
  }
}

/** For the hot paths that check the department inside their own statement. */
export const departmentNotFound = () => new NotFoundError("department_not_found", "This department does not exist.");

/** The department, if the actor works in it (staff: their own only). Row-level security keeps it in the tenant. */
export async function requireDepartment(tx: Tx, actor: Actor, departmentId: string) {
  assertWorksIn(actor, departmentId);
  const [department] = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.isArchived, false)));
  if (!department) throw departmentNotFound();
  return department;
}
