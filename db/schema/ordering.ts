import { sql } from "drizzle-orm";
import { bigint, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, quantity, restaurantId, tenantPolicies, updatedAt } from "./_tenant";
import { departments, products, sendChannel, suppliers } from "./catalog";
import { restaurants, users } from "./tenancy";
import { ORDER_LINE_STATUSES, ORDER_STATUSES, POSTING_STATUSES, REQUEST_STATUSES } from "@/vocabulary/constants";

export const requestStatus = pgEnum("request_status", REQUEST_STATUSES);
export const orderStatus = pgEnum("order_status", ORDER_STATUSES);
export const orderLineStatus = pgEnum("order_line_status", ORDER_LINE_STATUSES);
export const postingStatus = pgEnum("posting_status", POSTING_STATUSES);

/** A department's checklist: the draft (one per user and department) and, once submitted, the request. */
export const purchaseRequests = pgTable(
  "purchase_requests",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    status: requestStatus("status").notNull().default("draft"),
    note: text("note"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("purchase_requests_one_draft_key")
      .on(t.restaurantId, t.departmentId, t.createdBy)
      .where(sql`status = 'draft'`),
    index("purchase_requests_restaurant_status_idx").on(t.restaurantId, t.status, t.createdAt),
    ...tenantPolicies("purchase_requests"),
  ],
);

export const purchaseRequestLines = pgTable(
  "purchase_request_lines",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    requestId: uuid("request_id")
      .notNull()
      .references(() => purchaseRequests.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    quantity: quantity("quantity").notNull(),
    /** Set when the line is merged into a purchase order. */
    orderLineId: uuid("order_line_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One line per product: a resent edit updates it, never duplicates it.
    uniqueIndex("purchase_request_lines_product_key").on(t.restaurantId, t.requestId, t.productId),
    ...tenantPolicies("purchase_request_lines"),
  ],
);

/** One per supplier and delivery date. */
export const purchaseOrders = pgTable(
  "purchase_orders",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    /** Human number, per restaurant. */
    number: integer("number").notNull(),
    supplierId: uuid("supplier_id")
      .notNull()
      .references(() => suppliers.id),
    deliveryDate: date("delivery_date").notNull(),
    status: orderStatus("status").notNull().default("draft"),
    /** Bumped by every change a form could have been built on (lines, status, note, date): stale writes are refused. */
    version: integer("version").notNull().default(1),
    note: text("note"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    sentBy: uuid("sent_by").references(() => users.id),
    sentChannel: sendChannel("sent_channel"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("purchase_orders_number_key").on(t.restaurantId, t.number),
    index("purchase_orders_status_idx").on(t.restaurantId, t.status, t.createdAt),
    index("purchase_orders_date_idx").on(t.restaurantId, t.deliveryDate),
    index("purchase_orders_supplier_date_idx").on(t.restaurantId, t.supplierId, t.deliveryDate),
    ...tenantPolicies("purchase_orders"),
  ],
);

export const purchaseOrderLines = pgTable(
  "purchase_order_lines",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    /** The storage the goods go to (a supplier's order may serve several departments). */
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    quantity: quantity("quantity").notNull(),
    receivedQuantity: quantity("received_quantity").notNull().default("0"),
    priceMinor: bigint("price_minor", { mode: "number" }),
    status: orderLineStatus("status").notNull().default("open"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("purchase_order_lines_order_idx").on(t.restaurantId, t.orderId),
    ...tenantPolicies("purchase_order_lines"),
  ],
);

/** Every status change and send, with who and when. */
export const purchaseOrderEvents = pgTable(
  "purchase_order_events",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id),
    type: text("type").notNull(),
    fromStatus: orderStatus("from_status"),
    toStatus: orderStatus("to_status"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("purchase_order_events_order_idx").on(t.restaurantId, t.orderId, t.createdAt), ...tenantPolicies("purchase_order_events")],
);

export const receipts = pgTable(
  "receipts",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    orderId: uuid("order_id")
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: "cascade" }),
    /** From the client: a double click or a retry of the same confirmation is one receipt. */
    idempotencyKey: text("idempotency_key").notNull(),
    receivedBy: uuid("received_by").references(() => users.id),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    note: text("note"),
  },
  (t) => [
    uniqueIndex("receipts_idempotency_key").on(t.restaurantId, t.idempotencyKey),
    index("receipts_order_idx").on(t.restaurantId, t.orderId),
    ...tenantPolicies("receipts"),
  ],
);

export const receiptLines = pgTable(
  "receipt_lines",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    receiptId: uuid("receipt_id")
      .notNull()
      .references(() => receipts.id, { onDelete: "cascade" }),
    orderLineId: uuid("order_line_id")
      .notNull()
      .references(() => purchaseOrderLines.id),
    quantity: quantity("quantity").notNull(),
    priceMinor: bigint("price_minor", { mode: "number" }).notNull(),
  },
  (t) => [index("receipt_lines_receipt_idx").on(t.restaurantId, t.receiptId), ...tenantPolicies("receipt_lines")],
);

/** Outbox: one Poster supply per receipt and storage, posted exactly once by the job runner. */
export const supplyPostings = pgTable(
  "supply_postings",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    receiptId: uuid("receipt_id")
      .notNull()
      .references(() => receipts.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id),
    idempotencyKey: text("idempotency_key").notNull(),
    status: postingStatus("status").notNull().default("pending"),
    posterSupplyId: integer("poster_supply_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    postedAt: timestamp("posted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("supply_postings_idempotency_key").on(t.restaurantId, t.idempotencyKey),
    index("supply_postings_status_idx").on(t.restaurantId, t.status),
    ...tenantPolicies("supply_postings"),
  ],
);
