import { and, asc, desc, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  departments, products, purchaseOrderEvents, purchaseOrderLines, purchaseOrders, receiptLines, receipts, suppliers, supplyPostings, users,
} from "@/db/schema";
import { assertDraft, assertVersion, bumpOrderVersion, lockOrder, notFound, type PurchasingActor, type PurchasingRestaurant } from "./common";
import { buildOrderMessage, telegramUrl, whatsappUrl } from "./message";
import { requestNotesOfOrder } from "./requests";
import { recordEvent, transitionOrder, type OrderStatus } from "./status";
import { ValidationError } from "@/server/errors";
import { decimalSign } from "@/vocabulary/quantity";

export interface ListOrdersInput {
  status?: OrderStatus[] | undefined;
  supplierId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** The last order of the previous page (orders are listed newest delivery date, then number, first). */
  cursor?: { deliveryDate: string; number: number } | null | undefined;
  limit?: number | undefined;
}

export const ORDERS_PAGE_SIZE = 50;

function orderFilters(input: ListOrdersInput) {
  return and(
    input.status?.length ? inArray(purchaseOrders.status, input.status) : undefined,
    input.supplierId ? eq(purchaseOrders.supplierId, input.supplierId) : undefined,
    input.from ? gte(purchaseOrders.deliveryDate, input.from) : undefined,
    input.to ? lte(purchaseOrders.deliveryDate, input.to) : undefined,
  );
}

/** One page of orders, keyset-paged on (delivery date, number): number is unique per restaurant, so the order is total. */
export async function listOrders(tx: Tx, input: ListOrdersInput) {
  const limit = input.limit ?? ORDERS_PAGE_SIZE;
  const rows = await tx
    .select({
      id: purchaseOrders.id,
      number: purchaseOrders.number,
      status: purchaseOrders.status,
      deliveryDate: purchaseOrders.deliveryDate,
      supplierId: purchaseOrders.supplierId,
      supplierName: suppliers.name,
      sentAt: purchaseOrders.sentAt,
      sentChannel: purchaseOrders.sentChannel,
      createdAt: purchaseOrders.createdAt,
      lineCount: sql<number>`(select count(*)::int from ${purchaseOrderLines} l where l.order_id = ${purchaseOrders.id} and l.status <> 'cancelled')`,
      failedPostings: sql<number>`(select count(*)::int from ${supplyPostings} p join ${receipts} r on r.id = p.receipt_id where r.order_id = ${purchaseOrders.id} and p.status = 'failed')`,
    })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(
      and(
        orderFilters(input),
        input.cursor ? sql`(${purchaseOrders.deliveryDate}, ${purchaseOrders.number}) < (${input.cursor.deliveryDate}::date, ${input.cursor.number})` : undefined,
      ),
    )
    .orderBy(desc(purchaseOrders.deliveryDate), desc(purchaseOrders.number))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { orders: page, nextCursor: rows.length > limit && last ? { deliveryDate: last.deliveryDate, number: last.number } : null };
}

/** How many orders match the filters, per status (the list's group headings; the list itself is paged). */
export async function countOrdersByStatus(tx: Tx, input: ListOrdersInput): Promise<Partial<Record<OrderStatus, number>>> {
  const rows = await tx
    .select({ status: purchaseOrders.status, count: sql<number>`count(*)::int` })
    .from(purchaseOrders)
    .where(orderFilters(input))
    .groupBy(purchaseOrders.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

async function loadLines(tx: Tx, orderId: string) {
  return tx
    .select({
      id: purchaseOrderLines.id,
      productId: purchaseOrderLines.productId,
      departmentId: purchaseOrderLines.departmentId,
      departmentName: departments.name,
      name: products.name,
      unit: products.unit,
      quantity: purchaseOrderLines.quantity,
      receivedQuantity: purchaseOrderLines.receivedQuantity,
      priceMinor: purchaseOrderLines.priceMinor,
      status: purchaseOrderLines.status,
      /** The receive form's pre-filled price: the last price paid, else Poster's cost. */
      suggestedPriceMinor: sql<number | null>`coalesce(${products.lastPriceMinor}, ${products.costMinor})`.mapWith((v) => (v === null ? null : Number(v))),
      isLocalProduct: sql<boolean>`${products.posterIngredientId} is null`,
    })
    .from(purchaseOrderLines)
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .innerJoin(departments, eq(departments.id, purchaseOrderLines.departmentId))
    .where(eq(purchaseOrderLines.orderId, orderId))
    .orderBy(asc(products.name), asc(departments.sortOrder));
}

/** The message and the links the send panel shows (and that sendOrder records). */
export async function composeMessage(tx: Tx, restaurant: PurchasingRestaurant, orderId: string) {
  const [order] = await tx
    .select({ number: purchaseOrders.number, deliveryDate: purchaseOrders.deliveryDate, note: purchaseOrders.note, phone: sql<string | null>`coalesce(${suppliers.phone}, ${suppliers.posterPhone})`, email: suppliers.email })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(eq(purchaseOrders.id, orderId));
  if (!order) throw notFound();
  const lines = (await loadLines(tx, orderId)).filter((l) => l.status !== "cancelled");
  const message = buildOrderMessage({ locale: restaurant.locale, restaurantName: restaurant.name, number: order.number, deliveryDate: order.deliveryDate, note: order.note, lines });
  return { ...message, whatsappUrl: whatsappUrl(order.phone, message.text), telegramUrl: telegramUrl(message.text), email: order.email, phone: order.phone, lineCount: lines.length };
}

/** Other orders to the same supplier for the same delivery date that already went out: a warning, not a block. */
export async function findSentDuplicates(tx: Tx, order: { id: string; supplierId: string; deliveryDate: string }) {
  return tx
    .select({ id: purchaseOrders.id, number: purchaseOrders.number, sentAt: purchaseOrders.sentAt })
    .from(purchaseOrders)
    .where(
      and(
        ne(purchaseOrders.id, order.id),
        eq(purchaseOrders.supplierId, order.supplierId),
        eq(purchaseOrders.deliveryDate, order.deliveryDate),
        inArray(purchaseOrders.status, ["sent", "partially_received", "received"]),
      ),
    )
    .orderBy(asc(purchaseOrders.number));
}

export async function getOrder(tx: Tx, restaurant: PurchasingRestaurant, orderId: string) {
  const [order] = await tx
    .select({
      id: purchaseOrders.id,
      number: purchaseOrders.number,
      status: purchaseOrders.status,
      /** Sent back with every edit: a form built on an older version is refused (assertVersion). */
      version: purchaseOrders.version,
      deliveryDate: purchaseOrders.deliveryDate,
      note: purchaseOrders.note,
      sentAt: purchaseOrders.sentAt,
      sentChannel: purchaseOrders.sentChannel,
      createdAt: purchaseOrders.createdAt,
      supplier: {
        id: suppliers.id,
        name: suppliers.name,
        phone: sql<string | null>`coalesce(${suppliers.phone}, ${suppliers.posterPhone})`,
        email: suppliers.email,
        telegram: suppliers.telegram,
        preferredChannel: suppliers.preferredChannel,
      },
    })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(eq(purchaseOrders.id, orderId));
  if (!order) throw notFound();
  const [lines, events, receiptRows, postings, duplicates, message, requestNotes] = await Promise.all([
    loadLines(tx, orderId),
    tx
      .select({
        id: purchaseOrderEvents.id,
        type: purchaseOrderEvents.type,
        fromStatus: purchaseOrderEvents.fromStatus,
        toStatus: purchaseOrderEvents.toStatus,
        data: purchaseOrderEvents.data,
        createdAt: purchaseOrderEvents.createdAt,
        userName: users.name,
        userEmail: users.email,
      })
      .from(purchaseOrderEvents)
      .leftJoin(users, eq(users.id, purchaseOrderEvents.userId))
      .where(eq(purchaseOrderEvents.orderId, orderId))
      .orderBy(asc(purchaseOrderEvents.createdAt), asc(purchaseOrderEvents.id)),
    tx
      .select({ id: receipts.id, receivedAt: receipts.receivedAt, note: receipts.note, receivedByName: users.name })
      .from(receipts)
      .leftJoin(users, eq(users.id, receipts.receivedBy))
      .where(eq(receipts.orderId, orderId))
      .orderBy(asc(receipts.receivedAt)),
    tx
      .select({
        id: supplyPostings.id,
        receiptId: supplyPostings.receiptId,
        departmentName: departments.name,
        status: supplyPostings.status,
        posterSupplyId: supplyPostings.posterSupplyId,
        attempts: supplyPostings.attempts,
        lastError: supplyPostings.lastError,
        postedAt: supplyPostings.postedAt,
      })
      .from(supplyPostings)
      .innerJoin(receipts, eq(receipts.id, supplyPostings.receiptId))
      .innerJoin(departments, eq(departments.id, supplyPostings.departmentId))
      .where(eq(receipts.orderId, orderId))
      .orderBy(asc(supplyPostings.createdAt)),
    findSentDuplicates(tx, { id: order.id, supplierId: order.supplier.id, deliveryDate: order.deliveryDate }),
    composeMessage(tx, restaurant, orderId),
    requestNotesOfOrder(tx, orderId),
  ]);
  const rLines = receiptRows.length
    ? await tx
        .select({ receiptId: receiptLines.receiptId, orderLineId: receiptLines.orderLineId, quantity: receiptLines.quantity, priceMinor: receiptLines.priceMinor })
        .from(receiptLines)
        .where(inArray(receiptLines.receiptId, receiptRows.map((r) => r.id)))
    : [];
  return {
    ...order,
    lines,
    events,
    receipts: receiptRows.map((r) => ({ ...r, lines: rLines.filter((l) => l.receiptId === r.id), postings: postings.filter((p) => p.receiptId === r.id) })),
    postings,
    duplicates,
    message,
    /** What staff wrote when they submitted the checklists this order was merged from. */
    requestNotes,
  };
}

/** The version of the order the editing form was built on. */
type Versioned = { version: number };

export async function updateOrder(tx: Tx, actor: PurchasingActor, input: Versioned & { orderId: string; note?: string | null | undefined; deliveryDate?: string | undefined }) {
  const order = await lockOrder(tx, input.orderId);
  assertVersion(order, input.version);
  assertDraft(order);
  const patch: Partial<typeof purchaseOrders.$inferInsert> = {};
  if (input.note !== undefined) patch.note = input.note?.trim() || null;
  if (input.deliveryDate !== undefined) patch.deliveryDate = input.deliveryDate;
  if (Object.keys(patch).length === 0) return { id: order.id, version: order.version };
  await tx.update(purchaseOrders).set(patch).where(eq(purchaseOrders.id, order.id));
  await recordEvent(tx, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "edited", data: { ...patch } });
  return { id: order.id, version: await bumpOrderVersion(tx, order.id) };
}

async function lockDraftLine(tx: Tx, orderId: string, lineId: string, version: number) {
  const order = await lockOrder(tx, orderId);
  assertVersion(order, version);
  assertDraft(order);
  const [line] = await tx
    .select()
    .from(purchaseOrderLines)
    .where(and(eq(purchaseOrderLines.id, lineId), eq(purchaseOrderLines.orderId, orderId)));
  if (!line || line.status === "cancelled") throw notFound("Line");
  return { order, line };
}

export async function updateLine(tx: Tx, actor: PurchasingActor, input: Versioned & { orderId: string; lineId: string; quantity: string }) {
  const { order, line } = await lockDraftLine(tx, input.orderId, input.lineId, input.version);
  if (decimalSign(input.quantity) !== 1) throw new ValidationError("quantity_not_positive", "Quantity must be more than zero; remove the line instead.");
  await tx.update(purchaseOrderLines).set({ quantity: input.quantity }).where(eq(purchaseOrderLines.id, line.id));
  await recordEvent(tx, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "line_updated", data: { lineId: line.id, from: line.quantity, to: input.quantity } });
  return { id: line.id, quantity: input.quantity, version: await bumpOrderVersion(tx, order.id) };
}

/** The line stays (cancelled) so its requests still point at it and are not merged again. */
export async function removeLine(tx: Tx, actor: PurchasingActor, input: Versioned & { orderId: string; lineId: string }) {
  const { order, line } = await lockDraftLine(tx, input.orderId, input.lineId, input.version);
  await tx.update(purchaseOrderLines).set({ status: "cancelled" }).where(eq(purchaseOrderLines.id, line.id));
  await recordEvent(tx, { orderId: order.id, restaurantId: order.restaurantId, userId: actor.userId, type: "line_removed", data: { lineId: line.id, productId: line.productId } });
  return { id: line.id, version: await bumpOrderVersion(tx, order.id) };
}

export async function cancelOrder(tx: Tx, actor: PurchasingActor, input: Versioned & { orderId: string; reason?: string | undefined }) {
  const order = await lockOrder(tx, input.orderId);
  assertVersion(order, input.version);
  const version = await transitionOrder(tx, { orderId: order.id, restaurantId: order.restaurantId, from: order.status, to: "cancelled", userId: actor.userId, data: input.reason ? { reason: input.reason } : {} });
  await tx
    .update(purchaseOrderLines)
    .set({ status: "cancelled" })
    .where(and(eq(purchaseOrderLines.orderId, order.id), eq(purchaseOrderLines.status, "open")));
  return { id: order.id, status: "cancelled" as const, version };
}
