import { Dashboard } from "@/ui/dashboard/dashboard";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function DashboardPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  return (
    <HydrateClient>
      <Dashboard />
    </HydrateClient>
  );
}
