import { OrdersList } from "@/ui/orders/orders-list";
import { RequirePermission } from "@/ui/errors/require-permission";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default function OrdersPage() {
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.orders.list.queryOptions());
  return (
    <HydrateClient>
      <RequirePermission permission="orders.read">
        <OrdersList />
      </RequirePermission>
    </HydrateClient>
  );
}
