import { OrdersList } from "@/ui/orders/orders-list";
import { RequirePermission } from "@/ui/errors/require-permission";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function OrdersPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  // The same input and options as OrdersList, so the prefetched first page is the one it reads.
  void getQueryClient().prefetchInfiniteQuery(trpc.orders.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor }));
  return (
    <HydrateClient>
      <RequirePermission permission="orders.read">
        <OrdersList />
      </RequirePermission>
    </HydrateClient>
  );
}
