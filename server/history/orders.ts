import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { departments, type orderStatus, products, purchaseOrderLines, purchaseOrders, receiptLines, receipts, suppliers } from "@/db/schema";
import { checkRange, historyFiltersShape, rangeMessage, type HistoryFilters } from "./filters";
import { positiveInt4 } from "@/server/validation";
import { ValidationError } from "@/server/errors";

export const historyListInput = z
  .object({
    ...historyFiltersShape,
    /** The number of the last order on the previous page (orders are listed newest number first). */
    cursor: positiveInt4.nullish(),
    limit: z.number().int().min(1).max(100).default(25),
    /** Sent by TanStack's infinite queries with every page; pages only go forward, so it is accepted and unused. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict()
  .refine(checkRange, rangeMessage);

function filterConditions(f: HistoryFilters, timezone: string): SQL[] {
  const conditions: SQL[] = [];
  if (f.supplierId) conditions.push(eq(purchaseOrders.supplierId, f.supplierId));
  if (f.status) conditions.push(eq(purchaseOrders.status, f.status));
  if (f.departmentId) {
    conditions.push(
      sql`exists (select 1 from ${purchaseOrderLines} where ${purchaseOrderLines.orderId} = ${purchaseOrders.id} and ${purchaseOrderLines.departmentId} = ${f.departmentId})`,
    );
  }
  if (f.dateField === "delivery") {
    if (f.from) conditions.push(gte(purchaseOrders.deliveryDate, f.from));
    if (f.to) conditions.push(lte(purchaseOrders.deliveryDate, f.to));
  } else {
    // created_at is an instant: compare its calendar day where the restaurant is.
    const createdDay = sql`(${purchaseOrders.createdAt} at time zone ${timezone})::date`;
    if (f.from) conditions.push(sql`${createdDay} >= ${f.from}::date`);
    if (f.to) conditions.push(sql`${createdDay} <= ${f.to}::date`);
  }
  return conditions;
}

/** Quantity that counts for money: what arrived once receiving started, else what was ordered. */
const countedQuantity = sql`case when ${purchaseOrders.status} in ('partially_received', 'received') then ${purchaseOrderLines.receivedQuantity} else ${purchaseOrderLines.quantity} end`;
const activeLine = sql`${purchaseOrderLines.status} <> 'cancelled'`;

export async function listOrderHistory(tx: Tx, input: z.output<typeof historyListInput>, timezone: string) {
  const conditions = filterConditions(input, timezone);
  if (input.cursor) conditions.push(lt(purchaseOrders.number, input.cursor));
  const rows = await tx
    .select({
      id: purchaseOrders.id,
      number: purchaseOrders.number,
      supplierId: purchaseOrders.supplierId,
      supplierName: suppliers.name,
      deliveryDate: purchaseOrders.deliveryDate,
      status: purchaseOrders.status,
      createdAt: purchaseOrders.createdAt,
      sentAt: purchaseOrders.sentAt,
      lineCount: sql<number>`count(${purchaseOrderLines.id})::int`,
      /** Minor units, over the lines with a known price; cancelled lines do not count. */
      totalMinor: sql<string | null>`round(sum(${countedQuantity} * ${purchaseOrderLines.priceMinor}) filter (where ${activeLine}))::bigint`.mapWith(
        (v: string | null) => (v === null ? null : Number(v)),
      ),
      unpricedLines: sql<number>`(count(*) filter (where ${activeLine} and ${purchaseOrderLines.priceMinor} is null))::int`,
      departmentNames: sql<string[]>`coalesce(array_agg(distinct ${departments.name}) filter (where ${departments.name} is not null), '{}')`,
    })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .leftJoin(purchaseOrderLines, eq(purchaseOrderLines.orderId, purchaseOrders.id))
    .leftJoin(departments, eq(departments.id, purchaseOrderLines.departmentId))
    .where(and(...conditions))
    .groupBy(purchaseOrders.id, suppliers.name)
    .orderBy(desc(purchaseOrders.number))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page,
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.number : null,
  };
}

/** One export may not exceed this many lines: narrow the filters instead of building a huge file in memory. */
export const EXPORT_LINE_LIMIT = 50_000;

export interface ExportLine {
  orderNumber: number;
  supplierName: string;
  departmentName: string;
  productName: string;
  unit: string;
  quantity: string;
  receivedQuantity: string;
  priceMinor: number | null;
  /** What the line costs: received (or, before receiving, ordered) quantity × price; null without a price or when cancelled. */
  lineTotalMinor: number | null;
  orderStatus: (typeof orderStatus.enumValues)[number];
  lineStatus: string;
  deliveryDate: string;
  /** Local date and time in the restaurant's timezone ("2026-11-27 14:05"). */
  createdAt: string;
  sentAt: string | null;
  /** When the line's goods last arrived (its latest receipt), local like createdAt. */
  receivedAt: string | null;
}

/** The filtered orders as one row per order line, for the CSV and XLSX export. */
export async function listOrderLinesForExport(tx: Tx, filters: HistoryFilters, timezone: string): Promise<ExportLine[]> {
  const local = (column: SQL | typeof purchaseOrders.createdAt) => sql<string>`to_char(${column} at time zone ${timezone}, 'YYYY-MM-DD HH24:MI')`;
  const rows = await tx
    .select({
      orderNumber: purchaseOrders.number,
      supplierName: suppliers.name,
      departmentName: departments.name,
      productName: products.name,
      unit: products.unit,
      quantity: purchaseOrderLines.quantity,
      receivedQuantity: purchaseOrderLines.receivedQuantity,
      priceMinor: purchaseOrderLines.priceMinor,
      lineTotalMinor: sql<string | null>`case when ${activeLine} then round(${countedQuantity} * ${purchaseOrderLines.priceMinor})::bigint end`.mapWith(
        (v: string | null) => (v === null ? null : Number(v)),
      ),
      orderStatus: purchaseOrders.status,
      lineStatus: purchaseOrderLines.status,
      deliveryDate: purchaseOrders.deliveryDate,
      createdAt: local(purchaseOrders.createdAt),
      sentAt: sql<string | null>`case when ${purchaseOrders.sentAt} is null then null else ${local(sql`${purchaseOrders.sentAt}`)} end`,
      receivedAt: sql<string | null>`(select ${local(sql`max(${receipts.receivedAt})`)} from ${receiptLines} join ${receipts} on ${receipts.id} = ${receiptLines.receiptId} where ${receiptLines.orderLineId} = ${purchaseOrderLines.id})`,
    })
    .from(purchaseOrderLines)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.orderId))
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .innerJoin(departments, eq(departments.id, purchaseOrderLines.departmentId))
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .where(and(...filterConditions(filters, timezone)))
    .orderBy(desc(purchaseOrders.number), asc(departments.name), asc(products.name))
    .limit(EXPORT_LINE_LIMIT + 1);
  if (rows.length > EXPORT_LINE_LIMIT) {
    throw new ValidationError("export_too_many_lines", `More than ${EXPORT_LINE_LIMIT} lines: narrow the filters (for example the dates).`);
  }
  return rows.map((r) => ({ ...r, quantity: trimDecimal(r.quantity), receivedQuantity: trimDecimal(r.receivedQuantity) }));
}

/** numeric(14,3) reads as "2.500": show "2.5". */
function trimDecimal(value: string): string {
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}
