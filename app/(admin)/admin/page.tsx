import { AdminOverview } from "@/ui/admin/overview";
import { AdminRestaurants } from "@/ui/admin/restaurants";
import { BackupsPanel } from "@/ui/admin/backups-panel";
import { FlagsPanel } from "@/ui/admin/flags-panel";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function AdminPage() {
  await Promise.all([prefetch(trpc.admin.overview.queryOptions()), prefetch(trpc.admin.backups.queryOptions()), prefetch(trpc.admin.flags.queryOptions())]);
  return (
    <HydrateClient>
      <div className="flex flex-col gap-4">
        <AdminOverview />
        <BackupsPanel />
        <AdminRestaurants />
        <FlagsPanel />
      </div>
    </HydrateClient>
  );
}
