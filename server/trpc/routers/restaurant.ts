import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { PERMISSIONS, can, type Permission } from "@/server/auth/permissions";
import { activeRestaurantCookie } from "@/server/tenancy/cookie";
import { listActorDepartments, listUserRestaurants } from "@/server/tenancy/restaurants";
import { authed, createTRPCRouter, tenant } from "../init";
import { ForbiddenError } from "@/server/errors";

export const restaurantRouter = createTRPCRouter({
  /** The active restaurant, what the user may do in it, and their departments. */
  current: tenant("restaurant.read").query(async ({ ctx }) => {
    const permissions = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(ctx.actor, p));
    return {
      restaurant: ctx.restaurant,
      role: ctx.actor.role,
      permissions,
      departments: await listActorDepartments(ctx.db, ctx.actor),
    };
  }),

  mine: authed().query(({ ctx }) => withPlatform("membership", (tx) => listUserRestaurants(tx, ctx.user.id))),

  /** Remembers the pick in a cookie; every later call still checks the membership. */
  switch: authed()
    .input(z.object({ restaurantId: z.uuid() }).strict())
    .mutation(async ({ ctx, input }) => {
      const mine = await withPlatform("membership", (tx) => listUserRestaurants(tx, ctx.user.id));
      const target = mine.find((r) => r.id === input.restaurantId);
      if (!target) throw new ForbiddenError("not_member", "You are not a member of this restaurant.");
      ctx.resHeaders?.append("set-cookie", activeRestaurantCookie(target.id));
      return target;
    }),
});
