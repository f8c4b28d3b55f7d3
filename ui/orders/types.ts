import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type OrderDetailData = inferRouterOutputs<AppRouter>["orders"]["get"];
export type OrderLine = OrderDetailData["lines"][number];
