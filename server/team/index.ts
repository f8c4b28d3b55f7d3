export { acceptInvitation, claimInvitationLink, createInvitation, hashInvitationToken, INVITATION_TTL_MS, invitationUrl, MAX_CLAIMS_PER_LINK, listPendingInvitations, previewInvitation, registerWithInvitation, revokeInvitation, type InvitationKind, type InvitationStatus } from "./invitations";
export { listMembers, setMemberActive, updateMember } from "./members";
export * from "./schemas";
