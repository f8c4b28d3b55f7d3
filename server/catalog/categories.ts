import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { categories, products, suppliers } from "@/db/schema";
import { assertActiveSupplier } from "./suppliers";
import { NotFoundError } from "@/server/errors";

export const setDefaultSupplierInput = z.object({ categoryId: z.uuid(), supplierId: z.uuid().nullable() }).strict();

export async function listCategories(tx: Tx) {
  const counts = tx
    .select({ categoryId: products.categoryId, n: sql<number>`count(*)::int`.as("n") })
    .from(products)
    .where(eq(products.isArchived, false))
    .groupBy(products.categoryId)
    .as("category_counts");
  return tx
    .select({
      id: categories.id,
      name: categories.name,
      isLocal: sql<boolean>`${categories.posterCategoryId} is null`,
      defaultSupplierId: categories.defaultSupplierId,
      defaultSupplierName: suppliers.name,
      productCount: sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number),
    })
    .from(categories)
    .leftJoin(suppliers, eq(suppliers.id, categories.defaultSupplierId))
    .leftJoin(counts, eq(counts.categoryId, categories.id))
    .where(eq(categories.isArchived, false))
    .orderBy(asc(categories.name));
}

/** The fallback supplier for the category's products that have none of their own. */
export async function setCategoryDefaultSupplier(tx: Tx, input: z.output<typeof setDefaultSupplierInput>) {
  if (input.supplierId) await assertActiveSupplier(tx, input.supplierId);
  const updated = await tx
    .update(categories)
    .set({ defaultSupplierId: input.supplierId })
    .where(eq(categories.id, input.categoryId))
    .returning({ id: categories.id });
  if (updated.length === 0) throw new NotFoundError("category_not_found", "Category not found.");
  return { id: input.categoryId, supplierId: input.supplierId };
}
