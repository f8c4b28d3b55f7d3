import { AdminRestaurantDetail } from "@/ui/admin/restaurant-detail";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function AdminRestaurantPage({ params }: { params: Promise<{ restaurantId: string }> }) {
  const { restaurantId } = await params;
  await prefetch(trpc.admin.restaurant.queryOptions({ restaurantId }));
  return (
    <HydrateClient>
      <AdminRestaurantDetail restaurantId={restaurantId} />
    </HydrateClient>
  );
}
