import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { categories, departments, products, purchaseOrderLines, purchaseRequestLines, purchaseRequests, suppliers, users } from "@/db/schema";
import { fromThousandths, toThousandths } from "@/vocabulary/quantity";
import { groupBy } from "./common";

/** At most this many waiting requests are listed (oldest first); the rest are counted. */
export const OPEN_REQUESTS_LIMIT = 100;

/**
 * The submitted requests the manager is about to merge: who sent which department's list, when, with what note,
 * and each waiting line with the supplier it will be ordered from (none: it goes to "unsorted").
 */
const ownSupplier = alias(suppliers, "own_supplier");
const categorySupplier = alias(suppliers, "category_supplier");

export async function listOpenRequests(tx: Tx) {
  const waiting = sql`exists (select 1 from ${purchaseRequestLines} l where l.request_id = ${purchaseRequests.id} and l.order_line_id is null)`;
  const [requests, [count]] = await Promise.all([
    tx
      .select({
        id: purchaseRequests.id,
        departmentName: departments.name,
        authorName: sql<string>`coalesce(nullif(${users.name}, ''), ${users.email})`,
        submittedAt: purchaseRequests.submittedAt,
        note: purchaseRequests.note,
      })
      .from(purchaseRequests)
      .innerJoin(departments, eq(departments.id, purchaseRequests.departmentId))
      .innerJoin(users, eq(users.id, purchaseRequests.createdBy))
      .where(and(eq(purchaseRequests.status, "submitted"), waiting))
      .orderBy(asc(purchaseRequests.submittedAt), asc(purchaseRequests.id))
      .limit(OPEN_REQUESTS_LIMIT),
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(purchaseRequests)
      .where(and(eq(purchaseRequests.status, "submitted"), waiting)),
  ]);
  const lines =
    requests.length === 0
      ? []
      : await tx
          .select({
            requestId: purchaseRequestLines.requestId,
            productName: products.name,
            unit: products.unit,
            quantity: purchaseRequestLines.quantity,
            supplierName: sql<string | null>`coalesce(${ownSupplier.name}, ${categorySupplier.name})`,
          })
          .from(purchaseRequestLines)
          .innerJoin(products, eq(products.id, purchaseRequestLines.productId))
          .leftJoin(categories, eq(categories.id, products.categoryId))
          .leftJoin(ownSupplier, eq(ownSupplier.id, products.supplierId))
          .leftJoin(categorySupplier, eq(categorySupplier.id, categories.defaultSupplierId))
          .where(and(inArray(purchaseRequestLines.requestId, requests.map((r) => r.id)), isNull(purchaseRequestLines.orderLineId)))
          .orderBy(asc(products.name));
  const byRequest = groupBy(lines, (l) => l.requestId);
  return {
    requests: requests.map((r) => ({ ...r, lines: (byRequest.get(r.id) ?? []).map(({ requestId: _, quantity, ...line }) => ({ ...line, quantity: fromThousandths(toThousandths(quantity)) })) })),
    total: count?.n ?? 0,
  };
}

/** The notes staff wrote on the requests whose lines are on this order, with who wrote them and for which department. */
export async function requestNotesOfOrder(tx: Tx, orderId: string) {
  const notes = await tx
    .selectDistinctOn([purchaseRequests.id], {
      requestId: purchaseRequests.id,
      note: sql<string>`${purchaseRequests.note}`,
      authorName: sql<string>`coalesce(nullif(${users.name}, ''), ${users.email})`,
      departmentName: departments.name,
      submittedAt: purchaseRequests.submittedAt,
    })
    .from(purchaseOrderLines)
    .innerJoin(purchaseRequestLines, eq(purchaseRequestLines.orderLineId, purchaseOrderLines.id))
    .innerJoin(purchaseRequests, eq(purchaseRequests.id, purchaseRequestLines.requestId))
    .innerJoin(departments, eq(departments.id, purchaseRequests.departmentId))
    .innerJoin(users, eq(users.id, purchaseRequests.createdBy))
    .where(and(eq(purchaseOrderLines.orderId, orderId), isNotNull(purchaseRequests.note)))
    .orderBy(purchaseRequests.id);
  return notes.sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0));
}
