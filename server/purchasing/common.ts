import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { purchaseOrders } from "@/db/schema";
import { NotFoundError, orderChangedError } from "@/server/errors";
import { ConflictError } from "@/server/errors";
import type { Locale } from "@/vocabulary/constants";

export interface PurchasingActor {
  userId: string;
}

export interface PurchasingRestaurant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: Locale;
}

export const notFound = (what: "Order" | "Line" = "Order") => new NotFoundError(what === "Line" ? "line_not_found" : "order_not_found", `${what} not found.`);

/** Reads the order and locks it for the rest of the transaction: concurrent edits, sends and receipts queue up. */
export async function lockOrder(tx: Tx, orderId: string) {
  const [order] = await tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, orderId)).for("update");
  if (!order) throw notFound();
  return order;
}

/**
 * Every edit of an order says which version of it the form was built on: a write against an order that changed
 * meanwhile (another tab received it, someone edited a line) is refused instead of applying stale quantities.
 */
export function assertVersion(order: { version: number; status: string }, version: number): void {
  if (order.version !== version) throw orderChangedError(order);
}

/** For changes that are not a status change (transitionOrder bumps it itself): lines, note, date, a merge. */
export async function bumpOrderVersion(tx: Tx, orderId: string): Promise<number> {
  const [row] = await tx
    .update(purchaseOrders)
    .set({ version: sql`${purchaseOrders.version} + 1` })
    .where(eq(purchaseOrders.id, orderId))
    .returning({ version: purchaseOrders.version });
  if (!row) throw notFound();
  return row.version;
}

export function assertDraft(order: { status: string }): void {
  if (order.status !== "draft") throw new ConflictError("order_not_draft", "Only a draft order can be edited.");
}

/** Serialises work that must not interleave within one restaurant (order numbering, merging). */
export async function lockRestaurant(tx: Tx, restaurantId: string, purpose: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${purpose}:${restaurantId}`}))`);
}

/** "YYYY-MM-DD" of `date` in the restaurant's timezone, `days` later. */
export function localDate(timeZone: string, days = 0, now = new Date()): string {
  const shifted = new Date(now.getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(shifted);
}

export async function nextOrderNumber(tx: Tx, restaurantId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${purchaseOrders.number}), 0)::int + 1` })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.restaurantId, restaurantId)));
  return Number(row?.n ?? 1);
}

/** Map.groupBy is Node 21+; the project runs on Node 20. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
