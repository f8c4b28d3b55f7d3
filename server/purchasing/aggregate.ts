import { and, asc, eq, ilike, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { categories, departments, products, purchaseOrderLines, purchaseOrders, purchaseRequestLines, purchaseRequests, suppliers } from "@/db/schema";
import { fromThousandths, toThousandths } from "@/vocabulary/quantity";
import { bumpOrderVersion, groupBy, localDate, lockRestaurant, nextOrderNumber, type PurchasingActor } from "./common";
import { recordEvent } from "./status";
import { NotFoundError } from "@/server/errors";

/** The supplier a product is ordered from: its own mapping, else its category's default. */
const effectiveSupplier = sql<string | null>`coalesce(${products.supplierId}, ${categories.defaultSupplierId})`;

/** Submitted request lines not yet placed on a purchase order (of these requests only, when given). */
function openLines(tx: Tx, requestIds?: string[]) {
  return tx
    .select({
      id: purchaseRequestLines.id,
      requestId: purchaseRequestLines.requestId,
      productId: purchaseRequestLines.productId,
      quantity: purchaseRequestLines.quantity,
      departmentId: purchaseRequests.departmentId,
      supplierId: effectiveSupplier,
    })
    .from(purchaseRequestLines)
    .innerJoin(purchaseRequests, eq(purchaseRequests.id, purchaseRequestLines.requestId))
    .innerJoin(products, eq(products.id, purchaseRequestLines.productId))
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(
      and(
        eq(purchaseRequests.status, "submitted"),
        isNull(purchaseRequestLines.orderLineId),
        requestIds ? inArray(purchaseRequestLines.requestId, requestIds) : undefined,
      ),
    );
}

/** How many open lines wait, and how many of them have no supplier: the "Create orders" summary. */
export async function openRequestsSummary(tx: Tx) {
  const lines = await openLines(tx);
  return { openLines: lines.length, unsortedLines: lines.filter((l) => !l.supplierId).length };
}

export const UNSORTED_PAGE_SIZE = 100;

export interface ListUnsortedInput {
  search?: string | undefined;
  /** The last product of the previous page (the list is in name, then id order); absent for the first. */
  cursor?: { name: string; productId: string } | null | undefined;
  limit?: number | undefined;
}

/**
 * Products requested but without a supplier (own or category default), with what is waiting for them: one page,
 * summed and grouped in SQL, keyset-paged on (name, id). The active suppliers to assign come with the first page.
 */
export async function listUnsorted(tx: Tx, input: ListUnsortedInput) {
  const search = input.search?.trim();
  const limit = input.limit ?? UNSORTED_PAGE_SIZE;
  const rows = await tx
    .select({
      productId: products.id,
      name: products.name,
      unit: products.unit,
      categoryName: categories.name,
      quantity: sql<string>`trim_scale(sum(${purchaseRequestLines.quantity}))::text`,
      departments: sql<string[] | string>`json_agg(distinct ${departments.name} order by ${departments.name})`,
    })
    .from(purchaseRequestLines)
    .innerJoin(purchaseRequests, eq(purchaseRequests.id, purchaseRequestLines.requestId))
    .innerJoin(departments, eq(departments.id, purchaseRequests.departmentId))
    .innerJoin(products, eq(products.id, purchaseRequestLines.productId))
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(
      and(
        eq(purchaseRequests.status, "submitted"),
        isNull(purchaseRequestLines.orderLineId),
        sql`${effectiveSupplier} is null`,
        search ? ilike(products.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        input.cursor ? sql`(${products.name}, ${products.id}) > (${input.cursor.name}, ${input.cursor.productId}::uuid)` : undefined,
      ),
    )
    .groupBy(products.id, categories.name)
    .orderBy(asc(products.name), asc(products.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const activeSuppliers = input.cursor
    ? null
    : await tx
        .select({ id: suppliers.id, name: suppliers.name })
        .from(suppliers)
        .where(eq(suppliers.isArchived, false))
        .orderBy(asc(suppliers.name));
  return {
    products: page.map((p) => ({ ...p, departments: parseTextArray(p.departments) })),
    nextCursor: rows.length > limit && last ? { name: last.name, productId: last.productId } : null,
    suppliers: activeSuppliers,
  };
}

/** The drivers parse json results; should one answer the text, parse it here. */
function parseTextArray(value: string[] | string): string[] {
  return typeof value === "string" ? (JSON.parse(value) as string[]) : value;
}

/** A local mapping (sync never overwrites products.supplier_id): these products are ordered from this supplier. */
export async function assignSupplier(tx: Tx, input: { productIds: string[]; supplierId: string }) {
  const [supplier] = await tx.select({ id: suppliers.id }).from(suppliers).where(and(eq(suppliers.id, input.supplierId), eq(suppliers.isArchived, false)));
  if (!supplier) throw new NotFoundError("supplier_not_found", "Supplier not found.");
  const updated = await tx
    .update(products)
    .set({ supplierId: supplier.id })
    .where(inArray(products.id, [...new Set(input.productIds)]))
    .returning({ id: products.id });
  if (updated.length !== new Set(input.productIds).size) throw new NotFoundError("products_not_found", "Some products were not found.");
  return { updated: updated.length };
}

export interface MergeResult {
  ordersCreated: number;
  ordersUpdated: number;
  linesPlaced: number;
  unsortedLines: number;
  orderIds: string[];
}

/**
 * Places every open request line (of the requests picked, when `requestIds` is given) on the draft purchase order of its supplier for the delivery date (one per
 * supplier and date), merging the same product for the same department. Idempotent: placed lines carry
 * order_line_id and are never merged again; merges of one restaurant run one at a time.
 */
export async function mergeRequests(tx: Tx, actor: PurchasingActor, input: { restaurantId: string; timezone: string; deliveryDate?: string | undefined; requestIds?: string[] | undefined }): Promise<MergeResult> {
  await lockRestaurant(tx, input.restaurantId, "merge");
  const deliveryDate = input.deliveryDate ?? localDate(input.timezone, 1);
  const lines = await openLines(tx, input.requestIds).for("update", { of: purchaseRequestLines });
  const placeable = lines.filter((l): l is typeof l & { supplierId: string } => !!l.supplierId);

  const result: MergeResult = { ordersCreated: 0, ordersUpdated: 0, linesPlaced: 0, unsortedLines: lines.length - placeable.length, orderIds: [] };
  const bySupplier = groupBy(placeable, (l) => l.supplierId);
  for (const [supplierId, supplierLines] of bySupplier) {
    const order = await draftOrderFor(tx, actor, { restaurantId: input.restaurantId, supplierId, deliveryDate });
    if (order.created) result.ordersCreated++;
    else result.ordersUpdated++;
    result.orderIds.push(order.id);

    const groups = groupBy(supplierLines, (l) => `${l.productId}|${l.departmentId}`);
    for (const group of groups.values()) {
      const first = group[0]!;
      const total = fromThousandths(group.reduce((sum, l) => sum + toThousandths(l.quantity), 0n));
      const [existing] = await tx
        .select({ id: purchaseOrderLines.id })
        .from(purchaseOrderLines)
        .where(
          and(
            eq(purchaseOrderLines.orderId, order.id),
            eq(purchaseOrderLines.productId, first.productId),
            eq(purchaseOrderLines.departmentId, first.departmentId),
            eq(purchaseOrderLines.status, "open"),
          ),
        )
        .limit(1);
      let orderLineId: string;
      if (existing) {
        await tx
          .update(purchaseOrderLines)
          .set({ quantity: sql`${purchaseOrderLines.quantity} + ${total}::numeric` })
          .where(eq(purchaseOrderLines.id, existing.id));
        orderLineId = existing.id;
      } else {
        const [inserted] = await tx
          .insert(purchaseOrderLines)
          .values({ restaurantId: input.restaurantId, orderId: order.id, productId: first.productId, departmentId: first.departmentId, quantity: total })
          .returning({ id: purchaseOrderLines.id });
        orderLineId = inserted!.id;
      }
      await tx.update(purchaseRequestLines).set({ orderLineId }).where(inArray(purchaseRequestLines.id, group.map((l) => l.id)));
      result.linesPlaced += group.length;
    }
    await recordEvent(tx, { orderId: order.id, restaurantId: input.restaurantId, userId: actor.userId, type: "merged", data: { lines: supplierLines.length } });
    // New lines on a draft someone may have open: their next edit of it must see these first.
    if (!order.created) await bumpOrderVersion(tx, order.id);
  }

  // A request is ordered once every one of its lines is on an order.
  const touched = [...new Set(placeable.map((l) => l.requestId))];
  if (touched.length > 0) {
    await tx
      .update(purchaseRequests)
      .set({ status: "ordered" })
      .where(
        and(
          inArray(purchaseRequests.id, touched),
          eq(purchaseRequests.status, "submitted"),
          sql`not exists (select 1 from ${purchaseRequestLines} l where l.request_id = ${purchaseRequests.id} and l.order_line_id is null)`,
        ),
      );
  }
  return result;
}

async function draftOrderFor(tx: Tx, actor: PurchasingActor, key: { restaurantId: string; supplierId: string; deliveryDate: string }) {
  const [existing] = await tx
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.supplierId, key.supplierId), eq(purchaseOrders.deliveryDate, key.deliveryDate), eq(purchaseOrders.status, "draft")))
    .orderBy(asc(purchaseOrders.number))
    .limit(1);
  if (existing) return { id: existing.id, created: false };
  const number = await nextOrderNumber(tx, key.restaurantId);
  const [order] = await tx
    .insert(purchaseOrders)
    .values({ restaurantId: key.restaurantId, number, supplierId: key.supplierId, deliveryDate: key.deliveryDate, createdBy: actor.userId })
    .returning({ id: purchaseOrders.id });
  await recordEvent(tx, { orderId: order!.id, restaurantId: key.restaurantId, userId: actor.userId, type: "created", to: "draft", data: { number } });
  return { id: order!.id, created: true };
}
