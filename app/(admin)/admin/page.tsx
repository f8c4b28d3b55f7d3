import { AdminRestaurants } from "@/ui/admin/restaurants";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function AdminPage() {
  await prefetch(trpc.admin.restaurants.queryOptions());
  return (
    <HydrateClient>
      <AdminRestaurants />
    </HydrateClient>
  );
}
