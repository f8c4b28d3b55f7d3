export { acceptInvitation, createInvitation, hashInvitationToken, INVITATION_TTL_MS, invitationUrl, listPendingInvitations, previewInvitation, registerWithInvitation, revokeInvitation, type InvitationStatus } from "./invitations";
export { listMembers, setMemberActive, updateMember } from "./members";
export * from "./schemas";
