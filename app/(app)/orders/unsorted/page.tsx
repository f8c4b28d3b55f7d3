import { UnsortedProducts } from "@/ui/orders/unsorted";
import { RequirePermission } from "@/ui/errors/require-permission";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function UnsortedPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  // The same input and options as UnsortedProducts, so the prefetched first page is the one it reads.
  void getQueryClient().prefetchInfiniteQuery(trpc.orders.unsorted.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor }));
  return (
    <HydrateClient>
      <RequirePermission permission="orders.manage">
        <UnsortedProducts />
      </RequirePermission>
    </HydrateClient>
  );
}
