import { TeamScreen } from "@/ui/team/team-screen";
import { RequirePermission } from "@/ui/errors/require-permission";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function TeamPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.team.members.queryOptions());
  prefetch(trpc.team.invitations.queryOptions());
  return (
    <HydrateClient>
      <RequirePermission permission="team.manage">
        <TeamScreen />
      </RequirePermission>
    </HydrateClient>
  );
}
