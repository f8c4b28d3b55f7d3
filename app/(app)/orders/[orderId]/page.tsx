import { notFound } from "next/navigation";
import { z } from "zod";
import { OrderDetail } from "@/ui/orders/order-detail";
import { RequirePermission } from "@/ui/errors/require-permission";
import { HydrateClient, prefetch, trpc } from "@/ui/trpc/server";

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  prefetch(trpc.restaurant.current.queryOptions());
  prefetch(trpc.orders.get.queryOptions({ orderId }));
  return (
    <HydrateClient>
      <RequirePermission permission="orders.read">
        <OrderDetail orderId={orderId} />
      </RequirePermission>
    </HydrateClient>
  );
}
