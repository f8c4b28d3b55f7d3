import { createHash, randomBytes } from "node:crypto";
import { invalidateAfterCommit } from "@/server/tenancy/access-cache";
import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments, invitations, membershipDepartments, memberships, restaurants, users } from "@/db/schema";
import { afterCommit, withPlatform } from "@/db/scope";
import { checkNewPassword } from "@/server/accounts/password-problems";
import { hashPassword } from "@/server/auth/password";
import type { Actor, Role } from "@/server/auth/permissions";
import { env } from "@/server/env";
import { recordTeamAudit } from "./audit";
import { mailInvitation } from "./invitation-mail";
import { assertMayManageRole, checkedDepartments } from "./rules";
import type { ClaimInput, InviteInput, RegisterInput } from "./schemas";
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from "@/server/errors";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Addresses one shareable link may send its e-mail to: enough for typos, not a way to mail-bomb strangers. */
export const MAX_CLAIMS_PER_LINK = 10;

/**
 * The two kinds of invitation. "email": bound to an address and delivered there by e-mail only, so opening it
 * proves the address. "link": a shareable link the inviter sends (WhatsApp); whoever opens it gives their own
 * address and gets an e-mail-bound invitation there (a child with `parent_id`), so the address is proven before any
 * membership exists. A signed-in user may accept a link directly: their account's address was proven already.
 */
export type InvitationKind = "email" | "link";
const kindOf = (inv: { email: string | null }): InvitationKind => (inv.email ? "email" : "link");

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Built from the configured public URL, never from the request's Host header. */
export function invitationUrl(token: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/invite/${token}`;
}

/**
 * Creates an invitation. Only its sha256 is stored: the token exists only in the link. An e-mail-bound invitation's
 * link is e-mailed to that address after commit and never answered (the inviter could register the address
 * with their own password otherwise); a shareable link is answered, the only time it is shown.
 */
export async function createInvitation(tx: Tx, actor: Actor, restaurant: { id: string; name: string; locale: string }, input: InviteInput) {
  const restaurantId = restaurant.id;
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
    data: { role: input.role, departmentIds, canSend: staff ? input.canSend : true, canReceive: staff ? input.canReceive : true, email: invitation.email, kind: kindOf(invitation) },
  });
  const url = invitationUrl(token);
  if (invitation.email) {
    const to = invitation.email;
    afterCommit(tx, () => mailInvitation(to, { restaurantName: restaurant.name, locale: restaurant.locale, url, fromLink: false }));
    return { ...invitation, kind: "email" as const, url: null, sentTo: to };
  }
  return { ...invitation, kind: "link" as const, url, sentTo: null };
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
    // The e-mails a shareable link sent are part of that link (revoking it revokes them), not listed apart.
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`), isNull(invitations.parentId)))
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
  if (!invitation) throw new NotFoundError("invitation_not_found", "This invitation does not exist.");
  assertMayManageRole(actor, invitation.role);
  if (invitation.acceptedAt) throw new ConflictError("invitation_accepted", "This invitation has already been accepted.");
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

/** An invitation a shareable link sent is only as usable as that link (used up, revoked or expired with it). */
function effectiveStatus(inv: Parameters<typeof statusOf>[0], parent: Parameters<typeof statusOf>[0] | null | undefined): InvitationStatus {
  const own = statusOf(inv);
  return own === "pending" && parent ? statusOf(parent) : own;
}

/** What the invite page shows before anyone signs in: the restaurant, the role, the kind, whether it still works. */
export async function previewInvitation(token: string) {
  return withPlatform("membership", async (tx) => {
    const [row] = await tx
      .select({ restaurantName: restaurants.name, invitation: invitations })
      .from(invitations)
      .innerJoin(restaurants, eq(restaurants.id, invitations.restaurantId))
      .where(eq(invitations.tokenHash, hashInvitationToken(token)));
    if (!row) throw new NotFoundError("invitation_invalid", NOT_FOUND_MESSAGE);
    const inv = row.invitation;
    const [parent] = inv.parentId ? await tx.select().from(invitations).where(eq(invitations.id, inv.parentId)) : [];
    return { restaurantName: row.restaurantName, role: inv.role, kind: kindOf(inv), email: inv.email, status: effectiveStatus(inv, parent), expiresAt: inv.expiresAt };
  });
}

type LockedInvitation = typeof invitations.$inferSelect;

function assertUsable(inv: LockedInvitation): void {
  const status = statusOf(inv);
  if (status === "accepted") throw new ConflictError("invitation_used", "This invitation has already been used.");
  if (status === "revoked") throw new ForbiddenError("invitation_revoked", "This invitation has been revoked. Ask for a new one.");
  if (status === "expired") throw new ForbiddenError("invitation_expired", "This invitation has expired. Ask for a new one.");
}

const lockRow = async (tx: Tx, id: string) => (await tx.select().from(invitations).where(eq(invitations.id, id)).for("update"))[0];

/**
 * Locks the invitation row (and the shareable link it came from, that one first: always the same order, so no
 * deadlock), so two acceptances of one link, or of two e-mails one link sent, cannot both succeed.
 */
async function lockUsableInvitation(tx: Tx, token: string): Promise<{ inv: LockedInvitation; parent: LockedInvitation | null }> {
  const [found] = await tx.select({ id: invitations.id, parentId: invitations.parentId }).from(invitations).where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!found) throw new NotFoundError("invitation_invalid", NOT_FOUND_MESSAGE);
  const parent = found.parentId ? ((await lockRow(tx, found.parentId)) ?? null) : null;
  const inv = await lockRow(tx, found.id);
  if (!inv) throw new NotFoundError("invitation_invalid", NOT_FOUND_MESSAGE);
  assertUsable(inv);
  if (parent) assertUsable(parent);
  return { inv, parent };
}

/** Adds (or revives) the membership the invitation describes and marks the invitation (and its link) used. */
async function grantMembership(tx: Tx, { inv, parent }: { inv: LockedInvitation; parent: LockedInvitation | null }, userId: string) {
  const [existing] = await tx
    .select({ id: memberships.id, isActive: memberships.isActive })
    .from(memberships)
    .where(and(eq(memberships.restaurantId, inv.restaurantId), eq(memberships.userId, userId)))
    .for("update");
  if (existing?.isActive) throw new ConflictError("already_member", "You are already a member of this restaurant.");

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
    throw new ConflictError("invitation_departments_gone", "The departments of this invitation no longer exist. Ask for a new one.");
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
  const used = { acceptedAt: new Date(), acceptedBy: userId };
  await tx.update(invitations).set(used).where(eq(invitations.id, inv.id));
  if (parent) await tx.update(invitations).set(used).where(eq(invitations.id, parent.id));
  invalidateAfterCommit(tx, { membership: { restaurantId: inv.restaurantId, userId } });
  await recordTeamAudit(tx, {
    restaurantId: inv.restaurantId,
    actorUserId: userId,
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: inv.id,
    data: { membershipId, role: inv.role, departmentIds: liveDepartments, canSend: inv.canSend, canReceive: inv.canReceive, newMembership: !existing, linkId: parent?.id ?? null },
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
    const locked = await lockUsableInvitation(tx, token);
    const [user] = await tx.select({ email: users.email, isActive: users.isActive }).from(users).where(eq(users.id, userId));
    if (!user?.isActive) throw new UnauthorizedError("signed_out", "Please sign in.");
    if (locked.inv.email && locked.inv.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new ForbiddenError("invitation_other_email", "This invitation is for another e-mail address.");
    }
    return grantMembership(tx, locked, userId);
  });
}

/**
 * Someone who opened a shareable link gives their address: an e-mail-bound invitation with the link's role,
 * departments and expiry is sent there, and joining happens from that e-mail. The answer is the same for every
 * address (registered or not, nothing is looked up), so the link cannot be used to probe for accounts.
 */
export async function claimInvitationLink(input: ClaimInput): Promise<{ sentTo: string }> {
  return withPlatform("membership", async (tx) => {
    const { inv: link } = await lockUsableInvitation(tx, input.token);
    if (link.email) throw new ValidationError("invitation_for_one_email", "This invitation is for one e-mail address: open the link that was sent to it.");
    const [sent] = await tx.select({ n: count() }).from(invitations).where(eq(invitations.parentId, link.id));
    if ((sent?.n ?? 0) >= MAX_CLAIMS_PER_LINK) {
      throw new RateLimitedError("invitation_link_exhausted", "This link has sent too many e-mails. Ask for a new invitation.");
    }
    const email = input.email.trim().toLowerCase();
    const token = randomBytes(32).toString("base64url");
    const [child] = await tx
      .insert(invitations)
      .values({
        restaurantId: link.restaurantId,
        email,
        role: link.role,
        canSend: link.canSend,
        canReceive: link.canReceive,
        departmentIds: link.departmentIds,
        tokenHash: hashInvitationToken(token),
        invitedBy: link.invitedBy,
        expiresAt: link.expiresAt,
        parentId: link.id,
      })
      .returning({ id: invitations.id });
    await recordTeamAudit(tx, { restaurantId: link.restaurantId, actorUserId: null, action: "invitation.claimed", targetType: "invitation", targetId: child!.id, data: { linkId: link.id, email } });
    const [restaurant] = await tx.select({ name: restaurants.name, locale: restaurants.locale }).from(restaurants).where(eq(restaurants.id, link.restaurantId));
    const url = invitationUrl(token);
    afterCommit(tx, () => mailInvitation(email, { restaurantName: restaurant?.name ?? "", locale: restaurant?.locale ?? "en", url, fromLink: true }));
    return { sentTo: email };
  });
}

/** A new person registers with the invitation: the account, the membership and the used invitation, or nothing. */
export async function registerWithInvitation(input: RegisterInput) {
  return withPlatform("membership", async (tx) => {
    const locked = await lockUsableInvitation(tx, input.token);
    // Only an address the link was e-mailed to: a shareable link first sends one (claimInvitationLink).
    const email = locked.inv.email?.trim().toLowerCase();
    if (!email) throw new ValidationError("invitation_email_first", "Enter your e-mail address first: we send you a link to finish joining.");
    const check = checkNewPassword(input.password, { email });
    if (check) throw new ValidationError("weak_password", `The password is not accepted (${check.problem}).`, { problem: check.problem, ...check.values });
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (taken) {
      throw new ConflictError("account_exists", "An account with this e-mail already exists. Sign in to accept the invitation.");
    }
    const [user] = await tx
      .insert(users)
      .values({ email, name: input.name, passwordHash: await hashPassword(input.password) })
      .returning({ id: users.id });
    const granted = await grantMembership(tx, locked, user!.id);
    return { ...granted, email };
  });
}
