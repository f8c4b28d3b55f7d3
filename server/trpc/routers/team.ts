import {
  createInvitation,
  invitationIdInput,
  inviteInput,
  listMembers,
  listPendingInvitations,
  revokeInvitation,
  setMemberActive,
  setMemberActiveInput,
  updateMember,
  updateMemberInput,
} from "@/server/team";
import { createTRPCRouter, tenant } from "../init";

/** The team page: owners and managers (managers never touch owners; the domain checks that). */
export const teamRouter = createTRPCRouter({
  members: tenant("team.manage").query(({ ctx }) => listMembers(ctx.db, ctx.actor)),
  invitations: tenant("team.manage").query(({ ctx }) => listPendingInvitations(ctx.db)),
  invite: tenant("team.manage")
    .input(inviteInput)
    .mutation(({ ctx, input }) => createInvitation(ctx.db, ctx.actor, ctx.restaurant, input)),
  revokeInvitation: tenant("team.manage")
    .input(invitationIdInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, ctx.actor, ctx.restaurant.id, input.invitationId)),
  updateMember: tenant("team.manage")
    .input(updateMemberInput)
    .mutation(({ ctx, input }) => updateMember(ctx.db, ctx.actor, ctx.restaurant.id, input)),
  setMemberActive: tenant("team.manage")
    .input(setMemberActiveInput)
    .mutation(({ ctx, input }) => setMemberActive(ctx.db, ctx.actor, ctx.restaurant.id, input)),
});
