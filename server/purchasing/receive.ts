import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { products, purchaseOrderLines, purchaseOrders, purchaseRequestLines, purchaseRequests, receiptLines, receipts, supplyPostings } from "@/db/schema";
import { fromThousandths, toThousandths } from "@/vocabulary/quantity";
import { assertVersion, bumpOrderVersion, groupBy, lockOrder, type PurchasingActor } from "./common";
import { recordEvent, transitionOrder, type OrderStatus } from "./status";
import { ConflictError, ValidationError } from "@/server/errors";

/** What happens to the part of a line that did not arrive. */
export type MissingChoice = "keep" | "return" | "cancel";

export interface ReceiveInput {
  orderId: string;
  /** The order's version the form was filled from: a form left open while the order was received elsewhere is refused. */
  version: number;
  /** Generated once per receive form: a double click or a retried request is the same receipt. */
  idempotencyKey: string;
  note?: string | undefined;
  lines: ReadonlyArray<{ lineId: string; quantity: string; priceMinor: number; missing?: MissingChoice | undefined }>;
}

export interface ReceiveResult {
  receiptId: string;
  status: OrderStatus;
  version: number;
  /** True when this key was already confirmed: nothing was written again. */
  replayed: boolean;
  postings: Array<{ id: string; idempotencyKey: string }>;
}

export const postingKey = (receiptId: string, departmentId: string) => `receipt:${receiptId}:dept:${departmentId}`;

async function existingReceipt(tx: Tx, orderId: string, key: string): Promise<ReceiveResult | null> {
  const [receipt] = await tx.select({ id: receipts.id, orderId: receipts.orderId }).from(receipts).where(eq(receipts.idempotencyKey, key));
  if (!receipt) return null;
  if (receipt.orderId !== orderId) throw new ConflictError("receipt_other_order", "This confirmation belongs to another order.");
  const [order] = await tx.select({ status: purchaseOrders.status, version: purchaseOrders.version }).from(purchaseOrders).where(eq(purchaseOrders.id, orderId));
  const postings = await tx.select({ id: supplyPostings.id, idempotencyKey: supplyPostings.idempotencyKey }).from(supplyPostings).where(eq(supplyPostings.receiptId, receipt.id));
  return { receiptId: receipt.id, status: order!.status, version: order!.version, replayed: true, postings };
}

/**
 * Confirms a delivery: received quantities and prices per line, what happens to what is missing, the order's new
 * status, the products' last price paid, and one supply posting (outbox row) per storage for the job runner.
 * All or nothing, and exactly once per idempotency key.
 */
export async function receiveOrder(tx: Tx, actor: PurchasingActor, input: ReceiveInput): Promise<ReceiveResult> {
  // The lock queues a concurrent confirmation of the same order behind this one, which then finds the receipt.
  const order = await lockOrder(tx, input.orderId);
  // A retry of a confirmation that went through is answered as before (its version is older by now), …
  const replay = await existingReceipt(tx, order.id, input.idempotencyKey);
  if (replay) return replay;
  // … any other form built on an older state of the order is refused: it would post stale quantities again.
  assertVersion(order, input.version);
  if (order.status !== "sent" && order.status !== "partially_received") {
    throw order.status === "draft"
      ? new ConflictError("order_not_sent", "Send the order before receiving it.")
      : new ConflictError("order_cannot_receive", `An order that is ${order.status.replace("_", " ")} cannot be received.`, { status: order.status });
  }

  const lines = await tx
    .select({
      id: purchaseOrderLines.id,
      productId: purchaseOrderLines.productId,
      departmentId: purchaseOrderLines.departmentId,
      quantity: purchaseOrderLines.quantity,
      receivedQuantity: purchaseOrderLines.receivedQuantity,
      status: purchaseOrderLines.status,
      posterIngredientId: products.posterIngredientId,
    })
    .from(purchaseOrderLines)
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .where(eq(purchaseOrderLines.orderId, order.id));
  const open = new Map(lines.filter((l) => l.status === "open").map((l) => [l.id, l]));
  const inputs = new Map<string, ReceiveInput["lines"][number]>();
  for (const l of input.lines) {
    if (!open.has(l.lineId)) throw new ValidationError("line_not_open", "A line is not open on this order. Reload and try again.");
    if (inputs.has(l.lineId)) throw new ValidationError("line_listed_twice", "A line is listed twice.");
    inputs.set(l.lineId, l);
  }

  type Outcome = { line: (typeof lines)[number]; received: bigint; priceMinor: number; status: "open" | "received" | "returned" | "cancelled"; missing: bigint };
  const outcomes: Outcome[] = [...open.values()].map((line) => {
    const given = inputs.get(line.id);
    const received = given ? toThousandths(given.quantity) : 0n;
    const missing = toThousandths(line.quantity) - toThousandths(line.receivedQuantity) - received;
    const choice = given?.missing ?? "keep";
    const status = missing <= 0n ? "received" : choice === "keep" ? "open" : choice === "return" ? "returned" : "cancelled";
    return { line, received, priceMinor: given?.priceMinor ?? 0, status, missing };
  });
  const arrived = outcomes.filter((o) => o.received > 0n);
  if (arrived.length === 0 && outcomes.every((o) => o.status === "open")) {
    throw new ValidationError("receipt_empty", "Enter what arrived, or choose what to do with the missing lines.");
  }

  const [receipt] = await tx
    .insert(receipts)
    .values({ restaurantId: order.restaurantId, orderId: order.id, idempotencyKey: input.idempotencyKey, receivedBy: actor.userId, note: input.note?.trim() || null })
    .returning({ id: receipts.id, receivedAt: receipts.receivedAt });
  const receiptId = receipt!.id;
  if (arrived.length > 0) {
    await tx.insert(receiptLines).values(
      arrived.map((o) => ({ restaurantId: order.restaurantId, receiptId, orderLineId: o.line.id, quantity: fromThousandths(o.received), priceMinor: o.priceMinor })),
    );
  }
  for (const o of outcomes) {
    if (o.received === 0n && o.status === "open") continue;
    await tx
      .update(purchaseOrderLines)
      .set({
        receivedQuantity: fromThousandths(toThousandths(o.line.receivedQuantity) + o.received),
        status: o.status,
        ...(o.received > 0n ? { priceMinor: o.priceMinor } : {}),
      })
      .where(eq(purchaseOrderLines.id, o.line.id));
  }
  // The last price paid pre-fills the next receipt of the product.
  for (const o of arrived) {
    await tx.update(products).set({ lastPriceMinor: o.priceMinor }).where(eq(products.id, o.line.productId));
  }

  const returned = outcomes.filter((o) => o.status === "returned");
  for (const [departmentId, group] of groupBy(returned, (o) => o.line.departmentId)) {
    const [request] = await tx
      .insert(purchaseRequests)
      .values({ restaurantId: order.restaurantId, departmentId, createdBy: actor.userId, status: "submitted", submittedAt: new Date(), note: `#${order.number}` })
      .returning({ id: purchaseRequests.id });
    const byProduct = groupBy(group, (o) => o.line.productId);
    await tx.insert(purchaseRequestLines).values(
      [...byProduct].map(([productId, os]) => ({
        restaurantId: order.restaurantId,
        requestId: request!.id,
        productId,
        quantity: fromThousandths(os.reduce((s, o) => s + o.missing, 0n)),
      })),
    );
  }

  // The order's status follows from all its lines, including those received earlier.
  const after = lines.map((l) => outcomes.find((o) => o.line.id === l.id) ?? { line: l, received: 0n, status: l.status });
  const anyOpen = after.some((o) => o.status === "open");
  const anyReceived = after.some((o) => toThousandths(o.line.receivedQuantity) + o.received > 0n);
  const next: OrderStatus = anyOpen ? (anyReceived ? "partially_received" : order.status) : anyReceived ? "received" : "cancelled";
  const summary = {
    receiptId,
    received: arrived.length,
    short: outcomes.filter((o) => o.missing > 0n && o.received > 0n).length,
    over: outcomes.filter((o) => o.missing < 0n).length,
    returned: returned.length,
    cancelled: outcomes.filter((o) => o.status === "cancelled").length,
  };
  let version: number;
  if (next !== order.status) {
    version = await transitionOrder(tx, { orderId: order.id, restaurantId: order.restaurantId, from: order.status, to: next, userId: actor.userId, type: "received", data: summary });
  } else {
    await recordEvent(tx, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "received", data: summary });
    version = await bumpOrderVersion(tx, order.id);
  }

  // One Poster supply per storage; local products (no Poster id) are left out of it.
  const postable = arrived.filter((o) => o.line.posterIngredientId !== null);
  const departments = [...new Set(postable.map((o) => o.line.departmentId))];
  const postings = departments.length
    ? await tx
        .insert(supplyPostings)
        .values(departments.map((departmentId) => ({ restaurantId: order.restaurantId, receiptId, departmentId, idempotencyKey: postingKey(receiptId, departmentId) })))
        .returning({ id: supplyPostings.id, idempotencyKey: supplyPostings.idempotencyKey })
    : [];
  return { receiptId, status: next, version, replayed: false, postings };
}

/** The receipts' lines of one posting: the storage's received lines with their prices and Poster ids. */
export async function postingLines(tx: Tx, receiptId: string, departmentId: string) {
  return tx
    .select({
      productId: products.id,
      name: products.name,
      posterIngredientId: products.posterIngredientId,
      quantity: receiptLines.quantity,
      priceMinor: receiptLines.priceMinor,
    })
    .from(receiptLines)
    .innerJoin(purchaseOrderLines, eq(purchaseOrderLines.id, receiptLines.orderLineId))
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .where(and(eq(receiptLines.receiptId, receiptId), eq(purchaseOrderLines.departmentId, departmentId), sql`${receiptLines.quantity} > 0`));
}

