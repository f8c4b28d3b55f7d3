import { bigint, boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, quantity, restaurantId, tenantPolicies, updatedAt } from "./_tenant";
import { memberships, restaurants } from "./tenancy";
import { SEND_CHANNELS } from "@/vocabulary/constants";

export const sendChannel = pgEnum("send_channel", SEND_CHANNELS);

/** A Poster storage, or a local department. */
export const departments = pgTable(
  "departments",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    posterStorageId: integer("poster_storage_id"),
    name: text("name").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    isArchived: boolean("is_archived").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("departments_poster_key").on(t.restaurantId, t.posterStorageId),
    ...tenantPolicies("departments"),
  ],
);

export const suppliers = pgTable(
  "suppliers",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    posterSupplierId: integer("poster_supplier_id"),
    name: text("name").notNull(),
    /** Written by sync. */
    posterPhone: text("poster_phone"),
    address: text("address"),
    comment: text("comment"),
    /** Local contacts: sync never touches them. The effective phone is `phone ?? poster_phone`. */
    phone: text("phone"),
    email: text("email"),
    telegram: text("telegram"),
    preferredChannel: sendChannel("preferred_channel"),
    isArchived: boolean("is_archived").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("suppliers_poster_key").on(t.restaurantId, t.posterSupplierId),
    index("suppliers_restaurant_name_idx").on(t.restaurantId, t.name),
    ...tenantPolicies("suppliers"),
  ],
);

/** Ingredient categories; the default supplier is the fallback for products without one. */
export const categories = pgTable(
  "categories",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    posterCategoryId: integer("poster_category_id"),
    name: text("name").notNull(),
    defaultSupplierId: uuid("default_supplier_id").references(() => suppliers.id, { onDelete: "set null" }),
    isArchived: boolean("is_archived").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("categories_poster_key").on(t.restaurantId, t.posterCategoryId),
    ...tenantPolicies("categories"),
  ],
);

/** A Poster ingredient, or a local product Poster does not have (`poster_ingredient_id` null). */
export const products = pgTable(
  "products",
  {
    id: id(),
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    posterIngredientId: integer("poster_ingredient_id"),
    name: text("name").notNull(),
    /** kg, l, p (pieces) from Poster; free text for local products. */
    unit: text("unit").notNull(),
    categoryId: uuid("category_id").references(() => categories.id, { onDelete: "set null" }),
    /** Local mapping, never overwritten by sync. */
    supplierId: uuid("supplier_id").references(() => suppliers.id, { onDelete: "set null" }),
    /** Unit cost in minor units (Poster's prime_cost), and the last price we paid. */
    costMinor: bigint("cost_minor", { mode: "number" }),
    lastPriceMinor: bigint("last_price_minor", { mode: "number" }),
    /** Deleted or hidden in Poster: kept for history, shown again if restored. */
    isArchived: boolean("is_archived").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("products_poster_key").on(t.restaurantId, t.posterIngredientId),
    index("products_restaurant_category_idx").on(t.restaurantId, t.categoryId),
    index("products_restaurant_supplier_idx").on(t.restaurantId, t.supplierId),
    ...tenantPolicies("products"),
  ],
);

/** A product's place in a department: par level (local), last known stock in that storage (from sync). */
export const productDepartments = pgTable(
  "product_departments",
  {
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    parLevel: quantity("par_level"),
    /** Null = no stock data (not zero). */
    stock: quantity("stock"),
    stockSyncedAt: timestamp("stock_synced_at", { withTimezone: true }),
    /** Hidden from this department's checklist by a manager. */
    isHidden: boolean("is_hidden").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.departmentId] }),
    index("product_departments_restaurant_department_idx").on(t.restaurantId, t.departmentId),
    ...tenantPolicies("product_departments"),
  ],
);

/** Which departments a staff member works in (managers and owners see all). */
export const membershipDepartments = pgTable(
  "membership_departments",
  {
    restaurantId: restaurantId().references(() => restaurants.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id, { onDelete: "cascade" }),
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.membershipId, t.departmentId] }),
    index("membership_departments_restaurant_idx").on(t.restaurantId, t.departmentId),
    ...tenantPolicies("membership_departments"),
  ],
);
