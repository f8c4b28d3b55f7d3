import { z } from "zod";
import { password, text } from "@/server/validation";
import { ROLES } from "@/vocabulary/constants";

export const roleSchema = z.enum(ROLES);
const departmentIds = z.array(z.uuid()).max(100);

export const inviteInput = z
  .object({
    role: roleSchema,
    departmentIds,
    canSend: z.boolean(),
    canReceive: z.boolean(),
    /**
     * Set: an e-mail-bound invitation, delivered to this address by e-mail only (the inviter never gets its link).
     * Unset: a shareable link for the inviter to send; the invitee proves their own address before joining.
     */
    email: z.email().max(254).optional(),
  })
  .strict();
export type InviteInput = z.infer<typeof inviteInput>;

export const invitationIdInput = z.object({ invitationId: z.uuid() }).strict();

export const updateMemberInput = z
  .object({ membershipId: z.uuid(), role: roleSchema, canSend: z.boolean(), canReceive: z.boolean(), departmentIds })
  .strict();
export type UpdateMemberInput = z.infer<typeof updateMemberInput>;

export const setMemberActiveInput = z.object({ membershipId: z.uuid(), active: z.boolean() }).strict();
export type SetMemberActiveInput = z.infer<typeof setMemberActiveInput>;

/** 32 random bytes in base64url: 43 characters. */
export const invitationToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.");

export const tokenInput = z.object({ token: invitationToken }).strict();

export const registerInput = z
  .object({
    token: invitationToken,
    name: text(100, { min: 1 }),
    password: password(256),
  })
  .strict();
export type RegisterInput = z.infer<typeof registerInput>;

/** A shareable link's invitee gives their address; the invitation is e-mailed there. */
export const claimInput = z.object({ token: invitationToken, email: z.email().max(254) }).strict();
export type ClaimInput = z.infer<typeof claimInput>;
