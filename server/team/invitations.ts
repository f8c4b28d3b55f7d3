import { createHash, randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments, invitations, membershipDepartments, memberships, restaurants, users } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { hashPassword, validateNewPassword } from "@/server/auth/password";
import type { Actor, Role } from "@/server/auth/permissions";
import { env } from "@/server/env";
import { recordTeamAudit } from "./audit";
import { assertMayManageRole, checkedDepartments } from "./rules";
import type { InviteInput, RegisterInput } from "./schemas";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Built from the configured public URL, never from the request's Host header. */
export function invitationUrl(token: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/invite/${token}`;
}

/**
 * Creates an invitation and answers its link: the only time the token exists outside the link itself (only its
 * sha256 is stored). The inviter shares it (copy, WhatsApp); an e-mail address, if given, is the only one that
 * can register with it.
 */
export async function createInvitation(tx: Tx, actor: Actor, restaurantId: string, input: InviteInput) {
  assertMayManageRole(actor, input.role);
  const departmentIds = await checkedDepartments(tx, input.role, input.departmentIds);
  const token = randomBytes(32).toString("base64url");
  const staff = input.role === "staff";
  const [row] = await tx
    .insert(invitations)
    .values({
      restaurantId,
      email: input.email?.trim().toLowerCase() ?? null,
      role: input.role,
      // Owners and managers may do everything; capabilities only narrow staff.
      canSend: staff ? input.canSend : true,
      canReceive: staff ? input.canReceive : true,
      departmentIds,
      tokenHash: hashInvitationToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt, role: invitations.role, email: invitations.email });
  const invitation = row!;
  await recordTeamAudit(tx, {
    restaurantId,
    actorUserId: actor.userId,
    action: "invitation.created",
    targetType: "invitation",
    targetId: invitation.id,
    data: { role: input.role, departmentIds, canSend: staff ? input.canSend : true, canReceive: staff ? input.canReceive : true, email: invitation.email },
  });
  return { ...invitation, url: invitationUrl(token) };
}

/** Open invitations (not accepted, revoked or expired), newest first. Never carries a token. */
export async function listPendingInvitations(tx: Tx) {
  const rows = await tx
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      canSend: invitations.canSend,
      canReceive: invitations.canReceive,
      departmentIds: invitations.departmentIds,
      invitedByName: users.name,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
    .orderBy(desc(invitations.createdAt));
  const ids = [...new Set(rows.flatMap((r) => r.departmentIds))];
  const names = ids.length
    ? await tx.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, ids)).orderBy(asc(departments.sortOrder))
    : [];
  const byId = new Map(names.map((d) => [d.id, d.name]));
  return rows.map(({ departmentIds, ...r }) => ({
    ...r,
    departments: departmentIds.flatMap((id) => (byId.has(id) ? [{ id, name: byId.get(id)! }] : [])),
  }));
}

export async function revokeInvitation(tx: Tx, actor: Actor, restaurantId: string, invitationId: string) {
  const [invitation] = await tx.select().from(invitations).where(eq(invitations.id, invitationId)).for("update");
  if (!invitation) throw new TRPCError({ code: "NOT_FOUND", message: "This invitation does not exist." });
  assertMayManageRole(actor, invitation.role);
  if (invitation.acceptedAt) throw new TRPCError({ code: "CONFLICT", message: "This invitation has already been accepted." });
  if (invitation.revokedAt) return { id: invitation.id, revokedAt: invitation.revokedAt };
  const revokedAt = new Date();
  await tx.update(invitations).set({ revokedAt }).where(eq(invitations.id, invitation.id));
  await recordTeamAudit(tx, { restaurantId, actorUserId: actor.userId, action: "invitation.revoked", targetType: "invitation", targetId: invitation.id, data: { role: invitation.role } });
  return { id: invitation.id, revokedAt };
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

function statusOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

const NOT_FOUND_MESSAGE = "This invitation link is not valid.";

/** What the invite page shows before anyone signs in: the restaurant, the role, whether it still works. */
export async function previewInvitation(token: string) {
  const [row] = await withPlatform("membership", (tx) =>
    tx
      .select({
        restaurantName: restaurants.name,
        role: invitations.role,
        email: invitations.email,
        acceptedAt: invitations.acceptedAt,
        revokedAt: invitations.revokedAt,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .innerJoin(restaurants, eq(restaurants.id, invitations.restaurantId))
      .where(eq(invitations.tokenHash, hashInvitationToken(token))),
  );
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: NOT_FOUND_MESSAGE });
  return { restaurantName: row.restaurantName, role: row.role, email: row.email, status: statusOf(row), expiresAt: row.expiresAt };
}

type LockedInvitation = typeof invitations.$inferSelect;

/** Locks the invitation row, so two acceptances of one link cannot both succeed. */
async function lockUsableInvitation(tx: Tx, token: string): Promise<LockedInvitation> {
  const [inv] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashInvitationToken(token))).for("update");
  if (!inv) throw new TRPCError({ code: "NOT_FOUND", message: NOT_FOUND_MESSAGE });
  const status = statusOf(inv);
  if (status === "accepted") throw new TRPCError({ code: "CONFLICT", message: "This invitation has already been used." });
  if (status === "revoked") throw new TRPCError({ code: "FORBIDDEN", message: "This invitation has been revoked. Ask for a new one." });
  if (status === "expired") throw new TRPCError({ code: "FORBIDDEN", message: "This invitation has expired. Ask for a new one." });
  return inv;
}

/** Adds (or revives) the membership the invitation describes and marks the invitation used. */
async function grantMembership(tx: Tx, inv: LockedInvitation, userId: string) {
  const [existing] = await tx
    .select({ id: memberships.id, isActive: memberships.isActive })
    .from(memberships)
    .where(and(eq(memberships.restaurantId, inv.restaurantId), eq(memberships.userId, userId)))
    .for("update");
  if (existing?.isActive) throw new TRPCError({ code: "CONFLICT", message: "You are already a member of this restaurant." });

  // Departments deleted since the invitation was made are dropped; staff must keep at least one.
  const liveDepartments = inv.departmentIds.length
    ? (
        await tx
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.restaurantId, inv.restaurantId), inArray(departments.id, inv.departmentIds), eq(departments.isArchived, false)))
      ).map((d) => d.id)
    : [];
  if (inv.role === "staff" && liveDepartments.length === 0) {
    throw new TRPCError({ code: "CONFLICT", message: "The departments of this invitation no longer exist. Ask for a new one." });
  }

  const values = { role: inv.role as Role, canSend: inv.canSend, canReceive: inv.canReceive, isActive: true };
  let membershipId: string;
  if (existing) {
    await tx.update(memberships).set(values).where(eq(memberships.id, existing.id));
    await tx.delete(membershipDepartments).where(eq(membershipDepartments.membershipId, existing.id));
    membershipId = existing.id;
  } else {
    const [m] = await tx.insert(memberships).values({ restaurantId: inv.restaurantId, userId, ...values }).returning({ id: memberships.id });
    membershipId = m!.id;
  }
  if (liveDepartments.length) {
    await tx.insert(membershipDepartments).values(liveDepartments.map((departmentId) => ({ restaurantId: inv.restaurantId, membershipId, departmentId })));
  }
  await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: userId }).where(eq(invitations.id, inv.id));
  await recordTeamAudit(tx, {
    restaurantId: inv.restaurantId,
    actorUserId: userId,
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: inv.id,
    data: { membershipId, role: inv.role, departmentIds: liveDepartments, canSend: inv.canSend, canReceive: inv.canReceive, newMembership: !existing },
  });
  const [restaurant] = await tx.select({ name: restaurants.name }).from(restaurants).where(eq(restaurants.id, inv.restaurantId));
  return { restaurantId: inv.restaurantId, restaurantName: restaurant?.name ?? "", membershipId, role: inv.role };
}

/**
 * A signed-in user accepts: one platform transaction (the invitee is not a member yet, so this crosses
 * tenants by nature), audited as the invitation's acceptance.
 */
export async function acceptInvitation(userId: string, token: string) {
  return withPlatform("membership", async (tx) => {
    const inv = await lockUsableInvitation(tx, token);
    const [user] = await tx.select({ email: users.email, isActive: users.isActive }).from(users).where(eq(users.id, userId));
    if (!user?.isActive) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
    if (inv.email && inv.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This invitation is for another e-mail address." });
    }
    return grantMembership(tx, inv, userId);
  });
}

/** A new person registers with the invitation: the account, the membership and the used invitation, or nothing. */
export async function registerWithInvitation(input: RegisterInput) {
  return withPlatform("membership", async (tx) => {
    const inv = await lockUsableInvitation(tx, input.token);
    const email = (inv.email ?? input.email)?.trim().toLowerCase();
    if (!email) throw new TRPCError({ code: "BAD_REQUEST", message: "Enter your e-mail address." });
    const problem = validateNewPassword(input.password, { email });
    if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: problem });
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (taken) {
      throw new TRPCError({ code: "CONFLICT", message: "An account with this e-mail already exists. Sign in to accept the invitation." });
    }
    const [user] = await tx
      .insert(users)
      .values({ email, name: input.name, passwordHash: await hashPassword(input.password) })
      .returning({ id: users.id });
    const granted = await grantMembership(tx, inv, user!.id);
    return { ...granted, email };
  });
}
