import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments } from "@/db/schema";
import { canUseDepartment, type Actor } from "@/server/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/server/errors";

/** The department, if the actor works in it (staff: their own only). Row-level security keeps it in the tenant. */
export async function requireDepartment(tx: Tx, actor: Actor, departmentId: string) {
  if (!canUseDepartment(actor, departmentId)) {
    throw new ForbiddenError("not_your_department", "You do not work in this department.");
  }
  const [department] = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.isArchived, false)));
  if (!department) throw new NotFoundError("department_not_found", "This department does not exist.");
  return department;
}
