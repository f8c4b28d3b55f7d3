import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["team"];
export type TeamData = Outputs["members"];
export type Member = TeamData["members"][number];
export type Department = TeamData["departments"][number];
export type PendingInvitation = Outputs["invitations"][number];
export type Role = Member["role"];
