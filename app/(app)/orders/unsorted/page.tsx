import { UnsortedProducts } from "@/ui/orders/unsorted";
import { RequirePermission } from "@/ui/errors/require-permission";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function UnsortedPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.orders.unsorted.queryOptions());
  return (
    <HydrateClient>
      <RequirePermission permission="orders.manage">
        <UnsortedProducts />
      </RequirePermission>
    </HydrateClient>
  );
}
