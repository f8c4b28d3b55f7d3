import { createCallerFactory, createTRPCRouter } from "./init";
import { checklistRouter } from "./routers/checklist";
import { invitationRouter } from "./routers/invitation";
import { restaurantRouter } from "./routers/restaurant";
import { teamRouter } from "./routers/team";

export const appRouter = createTRPCRouter({
  restaurant: restaurantRouter,
  checklist: checklistRouter,
  team: teamRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
