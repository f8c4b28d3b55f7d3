import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { purchaseOrderEvents, purchaseOrders } from "@/db/schema";
import { ConflictError } from "@/server/errors";

export type OrderStatus = (typeof purchaseOrders.$inferSelect)["status"];

/** The one table of legal status changes of a purchase order. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: ["sent", "cancelled"],
  sent: ["partially_received", "received", "cancelled"],
  partially_received: ["received"],
  received: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError("order_transition", `An order that is ${from.replace("_", " ")} cannot become ${to.replace("_", " ")}.`, { from, to });
  }
}

/**
 * Changes the status (checked against the table), bumps the order's version and records who did it and when, in
 * one place. Answers the new version.
 */
export async function transitionOrder(
  tx: Tx,
  input: { orderId: string; restaurantId: string; from: OrderStatus; to: OrderStatus; userId: string | null; type?: string; data?: Record<string, unknown>; extra?: Partial<typeof purchaseOrders.$inferInsert> },
): Promise<number> {
  assertTransition(input.from, input.to);
  const updated = await tx
    .update(purchaseOrders)
    .set({ status: input.to, ...input.extra, version: sql`${purchaseOrders.version} + 1` })
    .where(and(eq(purchaseOrders.id, input.orderId), eq(purchaseOrders.status, input.from)))
    .returning({ id: purchaseOrders.id, version: purchaseOrders.version });
  // Someone else changed it since it was read (the caller locks the row, so this is a programming error guard).
  if (updated.length === 0) throw new ConflictError("order_changed_reload", "The order was changed meanwhile. Reload and try again.");
  await recordEvent(tx, { ...input, type: input.type ?? "status" });
  return updated[0]!.version;
}

export async function recordEvent(
  tx: Tx,
  input: { orderId: string; restaurantId: string; userId: string | null; type: string; from?: OrderStatus | null; to?: OrderStatus | null; data?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(purchaseOrderEvents).values({
    restaurantId: input.restaurantId,
    orderId: input.orderId,
    userId: input.userId,
    type: input.type,
    fromStatus: input.from ?? null,
    toStatus: input.to ?? null,
    data: input.data ?? null,
  });
}
