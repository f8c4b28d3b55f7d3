import { AdminRestaurantLogs } from "@/ui/admin/restaurant-logs";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function AdminRestaurantPage({ params }: { params: Promise<{ restaurantId: string }> }) {
  const { restaurantId } = await params;
  await prefetch(trpc.admin.logs.queryOptions({ restaurantId }));
  return (
    <HydrateClient>
      <AdminRestaurantLogs restaurantId={restaurantId} />
    </HydrateClient>
  );
}
