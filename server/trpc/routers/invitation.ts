import { acceptInvitation, claimInput, claimInvitationLink, previewInvitation, registerInput, registerWithInvitation, tokenInput } from "@/server/team";
import { activeRestaurantCookie } from "@/server/tenancy/cookie";
import { authed, createTRPCRouter, open } from "../init";

/** The invite link's page: the invitee is not a member yet, so these are not tenant procedures. */
export const invitationRouter = createTRPCRouter({
  /** Restaurant name, role, kind, bound e-mail and state: no ids before the invitee is a member. */
  preview: open()
    .input(tokenInput)
    .query(async ({ input }) => {
      const { restaurantName, role, kind, email, status, expiresAt } = await previewInvitation(input.token);
      return { restaurantName, role, kind, email, status, expiresAt };
    }),

  /** A shareable link's invitee gives their address: the invitation goes there by e-mail (same answer for any address). */
  claim: open()
    .input(claimInput)
    .mutation(({ input }) => claimInvitationLink(input)),

  /** A signed-in user joins; the restaurant becomes their active one. */
  accept: authed()
    .input(tokenInput)
    .mutation(async ({ ctx, input }) => {
      const joined = await acceptInvitation(ctx.user.id, input.token);
      ctx.resHeaders?.append("set-cookie", activeRestaurantCookie(joined.restaurantId));
      return { restaurantId: joined.restaurantId, restaurantName: joined.restaurantName, role: joined.role };
    }),

  /** A new person registers from an e-mailed invitation; the page signs them in afterwards with the same password. */
  register: open()
    .input(registerInput)
    .mutation(async ({ ctx, input }) => {
      const joined = await registerWithInvitation(input);
      ctx.resHeaders?.append("set-cookie", activeRestaurantCookie(joined.restaurantId));
      return { restaurantId: joined.restaurantId, restaurantName: joined.restaurantName, role: joined.role, email: joined.email };
    }),
});
