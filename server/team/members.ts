import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { afterCommit, withPlatform } from "@/db/scope";
import { departments, membershipDepartments, memberships, users } from "@/db/schema";
import { bumpSessionVersion } from "@/server/accounts/session-version";
import { invalidateAfterCommit } from "@/server/tenancy/access-cache";
import type { Actor } from "@/server/auth/permissions";
import { recordTeamAudit } from "./audit";
import { assertAnotherActiveOwner, assertMayManageRole, checkedDepartments } from "./rules";
import type { SetMemberActiveInput, UpdateMemberInput } from "./schemas";
import { NotFoundError, ValidationError } from "@/server/errors";

const departmentIdsOf = sql<string[]>`coalesce(array_agg(${membershipDepartments.departmentId} order by ${membershipDepartments.departmentId}) filter (where ${membershipDepartments.departmentId} is not null), '{}')`;

/** The team page: every member (active first) and the departments staff can be given. */
export async function listMembers(tx: Tx, actor: Actor) {
  const rows = await tx
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      canSend: memberships.canSend,
      canReceive: memberships.canReceive,
      isActive: memberships.isActive,
      departmentIds: departmentIdsOf,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(membershipDepartments, eq(membershipDepartments.membershipId, memberships.id))
    .groupBy(memberships.id, users.id)
    .orderBy(sql`${memberships.isActive} desc`, sql`case ${memberships.role} when 'owner' then 0 when 'manager' then 1 else 2 end`, asc(users.name));
  const depts = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.isArchived, false))
    .orderBy(asc(departments.sortOrder), asc(departments.name));
  return {
    members: rows.map((m) => ({
      ...m,
      isYou: m.membershipId === actor.membershipId,
      // What the UI may offer; the server checks again on every change.
      canEdit: actor.role === "owner" || m.role !== "owner",
    })),
    departments: depts,
  };
}

async function lockMember(tx: Tx, membershipId: string) {
  const [row] = await tx
    .select({ id: memberships.id, userId: memberships.userId, role: memberships.role, canSend: memberships.canSend, canReceive: memberships.canReceive, isActive: memberships.isActive })
    .from(memberships)
    .where(eq(memberships.id, membershipId))
    .for("update");
  if (!row) throw new NotFoundError("member_not_found", "This member does not exist.");
  return row;
}

/**
 * Changes role, capabilities and departments. Takes effect on the member's next request: the membership's cached
 * copy is invalidated when this commits.
 */
export async function updateMember(tx: Tx, actor: Actor, restaurantId: string, input: UpdateMemberInput) {
  const member = await lockMember(tx, input.membershipId);
  assertMayManageRole(actor, member.role);
  assertMayManageRole(actor, input.role);
  if (member.role === "owner" && input.role !== "owner" && member.isActive) {
    await assertAnotherActiveOwner(tx, restaurantId, member.id);
  }
  const departmentIds = await checkedDepartments(tx, input.role, input.departmentIds);
  const staff = input.role === "staff";
  const next = { role: input.role, canSend: staff ? input.canSend : true, canReceive: staff ? input.canReceive : true };

  const before = await tx
    .select({ id: membershipDepartments.departmentId })
    .from(membershipDepartments)
    .where(eq(membershipDepartments.membershipId, member.id));
  const beforeIds = before.map((d) => d.id).sort();
  await tx.update(memberships).set(next).where(eq(memberships.id, member.id));
  invalidateAfterCommit(tx, { membership: { restaurantId, userId: member.userId } });
  await tx.delete(membershipDepartments).where(eq(membershipDepartments.membershipId, member.id));
  if (departmentIds.length) {
    await tx.insert(membershipDepartments).values(departmentIds.map((departmentId) => ({ restaurantId, membershipId: member.id, departmentId })));
  }
  const afterIds = [...departmentIds].sort();
  const changed =
    member.role !== next.role || member.canSend !== next.canSend || member.canReceive !== next.canReceive || beforeIds.join() !== afterIds.join();
  if (changed) {
    await recordTeamAudit(tx, {
      restaurantId,
      actorUserId: actor.userId,
      action: "member.updated",
      targetType: "membership",
      targetId: member.id,
      data: {
        userId: member.userId,
        from: { role: member.role, canSend: member.canSend, canReceive: member.canReceive, departmentIds: beforeIds },
        to: { ...next, departmentIds: afterIds },
      },
    });
  }
  return { membershipId: member.id, ...next, departmentIds: afterIds };
}

/** Deactivates (or brings back) a membership; deactivation also ends the member's current sessions. */
export async function setMemberActive(tx: Tx, actor: Actor, restaurantId: string, input: SetMemberActiveInput) {
  const member = await lockMember(tx, input.membershipId);
  assertMayManageRole(actor, member.role);
  if (member.isActive === input.active) return { membershipId: member.id, isActive: member.isActive };
  if (!input.active) {
    if (member.id === actor.membershipId) {
      throw new ValidationError("cannot_deactivate_self", "You cannot deactivate yourself.");
    }
    if (member.role === "owner") await assertAnotherActiveOwner(tx, restaurantId, member.id);
  }
  await tx.update(memberships).set({ isActive: input.active }).where(eq(memberships.id, member.id));
  invalidateAfterCommit(tx, { membership: { restaurantId, userId: member.userId } });
  await recordTeamAudit(tx, {
    restaurantId,
    actorUserId: actor.userId,
    action: input.active ? "member.reactivated" : "member.deactivated",
    targetType: "membership",
    targetId: member.id,
    data: { userId: member.userId, role: member.role },
  });
  // Users are global and app_user may not write them: the session bump runs in the platform scope once this
  // transaction commits. The membership's cached copy is invalidated with the commit, so access ends there anyway.
  if (!input.active) afterCommit(tx, () => withPlatform("membership", (t) => bumpSessionVersion(t, member.userId)));
  return { membershipId: member.id, isActive: input.active };
}
