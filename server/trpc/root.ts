import { createCallerFactory, createTRPCRouter } from "./init";
import { restaurantRouter } from "./routers/restaurant";

export const appRouter = createTRPCRouter({
  restaurant: restaurantRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
