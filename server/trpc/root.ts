import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { catalogRouter } from "./routers/catalog";
import { checklistRouter } from "./routers/checklist";
import { exportsRouter } from "./routers/exports";
import { historyRouter } from "./routers/history";
import { invitationRouter } from "./routers/invitation";
import { jobsRouter } from "./routers/jobs";
import { ordersRouter } from "./routers/orders";
import { posterRouter } from "./routers/poster";
import { restaurantRouter } from "./routers/restaurant";
import { teamRouter } from "./routers/team";

export const appRouter = createTRPCRouter({
  restaurant: restaurantRouter,
  admin: adminRouter,
  account: accountRouter,
  catalog: catalogRouter,
  history: historyRouter,
  checklist: checklistRouter,
  exports: exportsRouter,
  team: teamRouter,
  invitation: invitationRouter,
  jobs: jobsRouter,
  orders: ordersRouter,
  poster: posterRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
