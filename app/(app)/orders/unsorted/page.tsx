import { UnsortedProducts } from "@/ui/orders/unsorted";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function UnsortedPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.orders.unsorted.queryOptions());
  return (
    <HydrateClient>
      <UnsortedProducts />
    </HydrateClient>
  );
}
