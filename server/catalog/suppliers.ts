import { and, asc, eq, ilike, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { products, suppliers } from "@/db/schema";
import { addressInput, channelInput, commentInput, emailInput, nameInput, phoneInput, telegramInput } from "./validation";
import { text } from "@/server/validation";
import { NotFoundError, ValidationError } from "@/server/errors";

export const listSuppliersInput = z
  .object({
    search: text(100).optional(),
    includeArchived: z.boolean().default(false),
  })
  .strict();

/** Local contacts, editable for every supplier; sync never writes them. */
const contactFields = {
  phone: phoneInput.optional(),
  email: emailInput.optional(),
  telegram: telegramInput.optional(),
  preferredChannel: channelInput.optional(),
  comment: commentInput.optional(),
};

export const createSupplierInput = z.object({ name: nameInput, address: addressInput.optional(), ...contactFields }).strict();

export const updateSupplierInput = z
  .object({
    id: z.uuid(),
    /** Only for local suppliers: Poster owns the name and address of its suppliers. */
    name: nameInput.optional(),
    address: addressInput.optional(),
    ...contactFields,
  })
  .strict();

export const setSupplierArchivedInput = z.object({ id: z.uuid(), archived: z.boolean() }).strict();

export type SupplierRow = Awaited<ReturnType<typeof listSuppliers>>[number];

export async function listSuppliers(tx: Tx, input: z.output<typeof listSuppliersInput>) {
  const filters = [];
  if (!input.includeArchived) filters.push(eq(suppliers.isArchived, false));
  if (input.search) filters.push(ilike(suppliers.name, `%${escapeLike(input.search)}%`));
  const productCount = tx
    .select({ supplierId: products.supplierId, n: sql<number>`count(*)::int`.as("n") })
    .from(products)
    .where(eq(products.isArchived, false))
    .groupBy(products.supplierId)
    .as("product_count");
  const rows = await tx
    .select({
      id: suppliers.id,
      name: suppliers.name,
      posterSupplierId: suppliers.posterSupplierId,
      posterPhone: suppliers.posterPhone,
      address: suppliers.address,
      comment: suppliers.comment,
      phone: suppliers.phone,
      email: suppliers.email,
      telegram: suppliers.telegram,
      preferredChannel: suppliers.preferredChannel,
      isArchived: suppliers.isArchived,
      productCount: sql<number>`coalesce(${productCount.n}, 0)`.mapWith(Number),
    })
    .from(suppliers)
    .leftJoin(productCount, eq(productCount.supplierId, suppliers.id))
    .where(and(...filters))
    .orderBy(asc(suppliers.isArchived), asc(suppliers.name))
    .limit(1000);
  return rows.map((r) => ({ ...r, isLocal: r.posterSupplierId === null, effectivePhone: r.phone ?? r.posterPhone }));
}

export async function createSupplier(tx: Tx, restaurantId: string, input: z.output<typeof createSupplierInput>) {
  const [row] = await tx
    .insert(suppliers)
    .values({ restaurantId, posterSupplierId: null, ...definedOnly(input) })
    .returning({ id: suppliers.id });
  return row!;
}

export async function updateSupplier(tx: Tx, input: z.output<typeof updateSupplierInput>) {
  const { id, ...changes } = input;
  const current = await getSupplier(tx, id);
  if (current.posterSupplierId !== null && (changes.name !== undefined || changes.address !== undefined)) {
    throw new ValidationError("poster_supplier_edited_in_poster", "The name and address of a Poster supplier are edited in Poster.");
  }
  const values = definedOnly(changes);
  if (Object.keys(values).length === 0) return { id };
  await tx.update(suppliers).set(values).where(eq(suppliers.id, id));
  return { id };
}

/** Poster suppliers are archived by sync when deleted in Poster; local ones by the manager. */
export async function setSupplierArchived(tx: Tx, input: z.output<typeof setSupplierArchivedInput>) {
  const current = await getSupplier(tx, input.id);
  if (current.posterSupplierId !== null) {
    throw new ValidationError("poster_supplier_archived_in_poster", "A Poster supplier is archived by deleting it in Poster.");
  }
  await tx.update(suppliers).set({ isArchived: input.archived }).where(eq(suppliers.id, input.id));
  return { id: input.id };
}

async function getSupplier(tx: Tx, id: string) {
  const [row] = await tx.select({ id: suppliers.id, posterSupplierId: suppliers.posterSupplierId }).from(suppliers).where(eq(suppliers.id, id));
  if (!row) throw new NotFoundError("supplier_not_found", "Supplier not found.");
  return row;
}

/** An active supplier of this restaurant (RLS hides other tenants' rows), or a NOT_FOUND. */
export async function assertActiveSupplier(tx: Tx, id: string): Promise<void> {
  const [row] = await tx.select({ isArchived: suppliers.isArchived }).from(suppliers).where(eq(suppliers.id, id));
  if (!row) throw new NotFoundError("supplier_not_found", "Supplier not found.");
  if (row.isArchived) throw new ValidationError("supplier_archived", "This supplier is archived.");
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Drops undefined keys so an update touches only the fields the caller sent. */
function definedOnly<T extends Record<string, unknown>>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
