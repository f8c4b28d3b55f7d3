import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments } from "@/db/schema";
import { canUseDepartment, type Actor } from "@/server/auth/permissions";

/** The department, if the actor works in it (staff: their own only). Row-level security keeps it in the tenant. */
export async function requireDepartment(tx: Tx, actor: Actor, departmentId: string) {
  if (!canUseDepartment(actor, departmentId)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "You do not work in this department." });
  }
  const [department] = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.isArchived, false)));
  if (!department) throw new TRPCError({ code: "NOT_FOUND", message: "This department does not exist." });
  return department;
}
