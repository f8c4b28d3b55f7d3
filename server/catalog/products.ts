import { and, asc, eq, ilike, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { categories, departments, productDepartments, products, suppliers } from "@/db/schema";
import { assertActiveSupplier } from "./suppliers";
import { text } from "@/server/validation";
import { nameInput, quantityInput, unitInput } from "./validation";
import { NotFoundError, ValidationError } from "@/server/errors";

const productIds = z.array(z.uuid()).min(1).max(1000);

export const PRODUCTS_PAGE_SIZE = 100;

export const departmentProductsInput = z
  .object({
    departmentId: z.uuid(),
    /** Part of the name, case-insensitive. */
    search: text(100).optional(),
    /** The last product of the previous page (in the list's order: category, name, id); absent for the first. */
    cursor: z.object({ categoryName: text(1000, { trim: false }).nullable(), name: text(1000, { trim: false }), productId: z.uuid() }).strict().nullish(),
    limit: z.number().int().min(1).max(200).optional(),
    /** Sent by TanStack's infinite queries with every page; pages only go forward, so it is accepted and unused. */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict();

export type ProductsCursor = NonNullable<z.output<typeof departmentProductsInput>["cursor"]>;

export const setParLevelsInput = z
  .object({
    departmentId: z.uuid(),
    /** One par level per product; null clears it. */
    items: z.array(z.object({ productId: z.uuid(), parLevel: quantityInput.nullable() }).strict()).min(1).max(1000),
  })
  .strict();

export const bulkParLevelInput = z.object({ departmentId: z.uuid(), productIds, parLevel: quantityInput.nullable() }).strict();

export const copyStockAsParInput = z.object({ departmentId: z.uuid(), productIds }).strict();

export const setHiddenInput = z.object({ departmentId: z.uuid(), productIds, hidden: z.boolean() }).strict();

export const setProductSupplierInput = z.object({ productIds, supplierId: z.uuid().nullable() }).strict();

export const createLocalProductInput = z
  .object({
    name: nameInput,
    unit: unitInput,
    categoryId: z.uuid().nullable().default(null),
    supplierId: z.uuid().nullable().default(null),
    departments: z
      .array(z.object({ departmentId: z.uuid(), parLevel: quantityInput.nullable().default(null) }).strict())
      .min(1, "Pick at least one department.")
      .max(100)
      .refine((ds) => new Set(ds.map((d) => d.departmentId)).size === ds.length, "A department is listed twice."),
  })
  .strict();

export const archiveLocalProductInput = z.object({ productId: z.uuid() }).strict();

const categorySupplier = alias(suppliers, "category_supplier");

/**
 * One page of a department's products with par level, stock, visibility and the supplier they will be ordered
 * from, keyset-paged in the list's order: category name (products without one last), product name, product id
 * (unique, so the order is total and a page never repeats or skips a product).
 */
export async function listDepartmentProducts(tx: Tx, input: z.output<typeof departmentProductsInput>) {
  await assertDepartment(tx, input.departmentId);
  const limit = input.limit ?? PRODUCTS_PAGE_SIZE;
  const search = input.search?.trim();
  // Nulls last as a sortable key: (no category?, category name, name, id) compares as one row value.
  const key = sql`(${categories.name} is null, coalesce(${categories.name}, ''), ${products.name}, ${products.id})`;
  const after = input.cursor
    ? sql`${key} > (${input.cursor.categoryName === null}, ${input.cursor.categoryName ?? ""}, ${input.cursor.name}, ${input.cursor.productId}::uuid)`
    : undefined;
  const rows = await tx
    .select({
      productId: products.id,
      name: products.name,
      unit: products.unit,
      isLocal: sql<boolean>`${products.posterIngredientId} is null`,
      categoryId: products.categoryId,
      categoryName: categories.name,
      supplierId: products.supplierId,
      supplierName: suppliers.name,
      /** The category's default supplier, used when the product has none. */
      fallbackSupplierName: categorySupplier.name,
      parLevel: productDepartments.parLevel,
      stock: productDepartments.stock,
      isHidden: productDepartments.isHidden,
    })
    .from(productDepartments)
    .innerJoin(products, eq(products.id, productDepartments.productId))
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(suppliers, eq(suppliers.id, products.supplierId))
    .leftJoin(categorySupplier, eq(categorySupplier.id, categories.defaultSupplierId))
    .where(
      and(
        eq(productDepartments.departmentId, input.departmentId),
        eq(products.isArchived, false),
        search ? ilike(products.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        after,
      ),
    )
    .orderBy(sql`${categories.name} is null`, sql`coalesce(${categories.name}, '')`, asc(products.name), asc(products.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor: ProductsCursor | null = rows.length > limit && last ? { categoryName: last.categoryName, name: last.name, productId: last.productId } : null;
  return { products: page, nextCursor };
}

export async function setParLevels(tx: Tx, input: z.output<typeof setParLevelsInput>) {
  const ids = input.items.map((i) => i.productId);
  if (new Set(ids).size !== ids.length) throw new ValidationError("product_listed_twice", "A product is listed twice.");
  await assertInDepartment(tx, input.departmentId, ids);
  // One statement for the whole batch.
  const values = sql.join(
    input.items.map((i) => sql`(${i.productId}::uuid, ${i.parLevel}::numeric)`),
    sql`, `,
  );
  await tx.execute(sql`
    update product_departments pd set par_level = v.par, updated_at = now()
    from (values ${values}) as v(product_id, par)
    where pd.department_id = ${input.departmentId} and pd.product_id = v.product_id`);
  return { updated: input.items.length };
}

export async function setBulkParLevel(tx: Tx, input: z.output<typeof bulkParLevelInput>) {
  await assertInDepartment(tx, input.departmentId, input.productIds);
  const rows = await tx
    .update(productDepartments)
    .set({ parLevel: input.parLevel })
    .where(and(eq(productDepartments.departmentId, input.departmentId), inArray(productDepartments.productId, input.productIds)))
    .returning({ productId: productDepartments.productId });
  return { updated: rows.length };
}

/** Par := current stock, for the selected products that have stock data (the others are left as they were). */
export async function copyStockAsPar(tx: Tx, input: z.output<typeof copyStockAsParInput>) {
  await assertInDepartment(tx, input.departmentId, input.productIds);
  const rows = await tx
    .update(productDepartments)
    .set({ parLevel: sql`greatest(${productDepartments.stock}, 0)` })
    .where(
      and(
        eq(productDepartments.departmentId, input.departmentId),
        inArray(productDepartments.productId, input.productIds),
        isNotNull(productDepartments.stock),
      ),
    )
    .returning({ productId: productDepartments.productId });
  return { updated: rows.length, skipped: input.productIds.length - rows.length };
}

export async function setHidden(tx: Tx, input: z.output<typeof setHiddenInput>) {
  await assertInDepartment(tx, input.departmentId, input.productIds);
  await tx
    .update(productDepartments)
    .set({ isHidden: input.hidden })
    .where(and(eq(productDepartments.departmentId, input.departmentId), inArray(productDepartments.productId, input.productIds)));
  return { updated: input.productIds.length };
}

export async function setProductSupplier(tx: Tx, input: z.output<typeof setProductSupplierInput>) {
  if (input.supplierId) await assertActiveSupplier(tx, input.supplierId);
  const rows = await tx
    .update(products)
    .set({ supplierId: input.supplierId })
    .where(inArray(products.id, input.productIds))
    .returning({ id: products.id });
  if (rows.length !== new Set(input.productIds).size) throw new NotFoundError("product_not_found", "Product not found.");
  return { updated: rows.length };
}

/** A product Poster does not have: it lives only here (poster_ingredient_id null), so sync never touches it. */
export async function createLocalProduct(tx: Tx, restaurantId: string, input: z.output<typeof createLocalProductInput>) {
  if (input.supplierId) await assertActiveSupplier(tx, input.supplierId);
  if (input.categoryId) {
    const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.categoryId));
    if (!category) throw new NotFoundError("category_not_found", "Category not found.");
  }
  const departmentIds = input.departments.map((d) => d.departmentId);
  const found = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(and(inArray(departments.id, departmentIds), eq(departments.isArchived, false)));
  if (found.length !== departmentIds.length) throw new NotFoundError("department_not_found", "Department not found.");

  const [product] = await tx
    .insert(products)
    .values({ restaurantId, posterIngredientId: null, name: input.name, unit: input.unit, categoryId: input.categoryId, supplierId: input.supplierId })
    .returning({ id: products.id });
  await tx
    .insert(productDepartments)
    .values(input.departments.map((d) => ({ restaurantId, productId: product!.id, departmentId: d.departmentId, parLevel: d.parLevel })));
  return { id: product!.id };
}

/** Archived products leave checklists but stay in the history of orders. Poster products follow Poster. */
export async function archiveLocalProduct(tx: Tx, input: z.output<typeof archiveLocalProductInput>) {
  const [product] = await tx.select({ posterIngredientId: products.posterIngredientId }).from(products).where(eq(products.id, input.productId));
  if (!product) throw new NotFoundError("product_not_found", "Product not found.");
  if (product.posterIngredientId !== null) {
    throw new ValidationError("poster_product_removed_in_poster", "A Poster product is removed in Poster; hide it from the department instead.");
  }
  await tx.update(products).set({ isArchived: true }).where(and(eq(products.id, input.productId), isNull(products.posterIngredientId)));
  return { id: input.productId };
}

async function assertDepartment(tx: Tx, departmentId: string): Promise<void> {
  const [row] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId));
  if (!row) throw new NotFoundError("department_not_found", "Department not found.");
}

/** Every product must already be placed in the department: a par level elsewhere is refused, not created. */
async function assertInDepartment(tx: Tx, departmentId: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ productId: productDepartments.productId })
    .from(productDepartments)
    .where(and(eq(productDepartments.departmentId, departmentId), inArray(productDepartments.productId, unique)));
  if (rows.length !== unique.length) throw new NotFoundError("product_not_in_department", "Product not found in this department.");
}
