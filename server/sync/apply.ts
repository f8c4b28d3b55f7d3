import { and, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { categories, departments, productDepartments, products, suppliers } from "@/db/schema";
import { toQuantity3 } from "@/vocabulary/quantity";
import { SyncSkips } from "./skips";
import { emptyCounts, type EntityCounts, type SyncCounts, type SyncEntity, type SyncSnapshot } from "./types";

/** Rows per statement: well under Postgres' 65,535 bind parameters for the widest row (7 columns). */
const CHUNK = 1000;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const excluded = (column: string) => sql.raw(`excluded."${column}"`);
const now = sql`now()`;

type Scalar = string | number | boolean | null;
interface Local<F> { id: string; posterId: number; isArchived: boolean; fields: F }
interface Wanted<F> { posterId: number; isArchived: boolean; fields: F }

/** What an entity's skipped rows protect: those ids, or (a row without an id) every local row from archiving. */
interface Kept { ids: ReadonlySet<number>; incomplete: boolean }
const keptOf = (skips: SyncSkips, entity: SyncEntity): Kept => ({ ids: skips.keptIds(entity), incomplete: skips.incomplete(entity) });

/**
 * The diff every entity shares: what to insert or update (only rows that differ), what to archive (local rows
 * with a Poster id that Poster no longer lists, within the authoritative ids), and the counts. A row Poster sent
 * unreadable is not missing: it is neither updated nor archived.
 */
function diff<F extends Record<string, Scalar>>(local: Local<F>[], wanted: Wanted<F>[], only: ReadonlySet<number> | undefined, counts: EntityCounts, kept: Kept) {
  const byPoster = new Map(local.map((l) => [l.posterId, l]));
  const seen = new Set<number>();
  const upserts: Wanted<F>[] = [];
  for (const w of wanted) {
    if (only && !only.has(w.posterId)) continue;
    seen.add(w.posterId);
    const cur = byPoster.get(w.posterId);
    if (!cur) {
      // Something Poster lists as deleted that we never had: nothing to keep.
      if (w.isArchived) continue;
      upserts.push(w);
      counts.added++;
      continue;
    }
    const same = cur.isArchived === w.isArchived && Object.keys(w.fields).every((k) => cur.fields[k] === w.fields[k]);
    if (same) continue;
    upserts.push(w);
    if (w.isArchived && !cur.isArchived) counts.archived++;
    else counts.changed++;
  }
  const archiveIds: string[] = [];
  for (const l of local) {
    if (kept.incomplete) break;
    if (seen.has(l.posterId) || l.isArchived || kept.ids.has(l.posterId) || (only && !only.has(l.posterId))) continue;
    archiveIds.push(l.id);
    counts.archived++;
  }
  return { upserts, archiveIds };
}

async function applyDepartments(tx: Tx, restaurantId: string, snap: SyncSnapshot, counts: SyncCounts, skips: SyncSkips): Promise<Map<number, { id: string; isArchived: boolean }>> {
  const rows = await tx
    .select({ id: departments.id, posterId: departments.posterStorageId, name: departments.name, isArchived: departments.isArchived })
    .from(departments)
    .where(isNotNull(departments.posterStorageId));
  const local = rows.map((r) => ({ id: r.id, posterId: r.posterId!, isArchived: r.isArchived, fields: { name: r.name } }));
  const result = new Map(local.map((l) => [l.posterId, { id: l.id, isArchived: l.isArchived }]));
  if (!snap.storages) return result;
  const wanted = snap.storages.rows.map((s) => ({ posterId: s.id, isArchived: s.deleted, fields: { name: s.name } }));
  const { upserts, archiveIds } = diff(local, wanted, snap.storages.only, counts.departments, keptOf(skips, "departments"));
  for (const part of chunks(upserts)) {
    const written = await tx
      .insert(departments)
      // New departments follow Poster's storage order; a local reordering is never overwritten.
      .values(part.map((w) => ({ restaurantId, posterStorageId: w.posterId, name: w.fields.name, isArchived: w.isArchived, sortOrder: w.posterId })))
      .onConflictDoUpdate({ target: [departments.restaurantId, departments.posterStorageId], set: { name: excluded("name"), isArchived: excluded("is_archived"), updatedAt: now } })
      .returning({ id: departments.id, posterId: departments.posterStorageId, isArchived: departments.isArchived });
    for (const w of written) result.set(w.posterId!, { id: w.id, isArchived: w.isArchived });
  }
  for (const part of chunks(archiveIds)) await tx.update(departments).set({ isArchived: true, updatedAt: now }).where(inArray(departments.id, part));
  for (const id of archiveIds) for (const [k, v] of result) if (v.id === id) result.set(k, { id, isArchived: true });
  return result;
}

async function applySuppliers(tx: Tx, restaurantId: string, snap: SyncSnapshot, counts: SyncCounts, skips: SyncSkips): Promise<void> {
  if (!snap.suppliers) return;
  const rows = await tx
    .select({ id: suppliers.id, posterId: suppliers.posterSupplierId, isArchived: suppliers.isArchived, name: suppliers.name, posterPhone: suppliers.posterPhone, address: suppliers.address, comment: suppliers.comment })
    .from(suppliers)
    .where(isNotNull(suppliers.posterSupplierId));
  const local = rows.map((r) => ({ id: r.id, posterId: r.posterId!, isArchived: r.isArchived, fields: { name: r.name, posterPhone: r.posterPhone, address: r.address, comment: r.comment } }));
  // Only Poster's own fields; the local contacts (phone, email, telegram, preferred channel) are never written.
  const wanted = snap.suppliers.rows.map((s) => ({
    posterId: s.id,
    isArchived: s.deleted,
    fields: { name: s.name, posterPhone: s.phone || null, address: s.address || null, comment: s.comment || null },
  }));
  const { upserts, archiveIds } = diff(local, wanted, snap.suppliers.only, counts.suppliers, keptOf(skips, "suppliers"));
  for (const part of chunks(upserts)) {
    await tx
      .insert(suppliers)
      .values(part.map((w) => ({ restaurantId, posterSupplierId: w.posterId, isArchived: w.isArchived, ...w.fields })))
      .onConflictDoUpdate({
        target: [suppliers.restaurantId, suppliers.posterSupplierId],
        set: { name: excluded("name"), posterPhone: excluded("poster_phone"), address: excluded("address"), comment: excluded("comment"), isArchived: excluded("is_archived"), updatedAt: now },
      });
  }
  for (const part of chunks(archiveIds)) await tx.update(suppliers).set({ isArchived: true, updatedAt: now }).where(inArray(suppliers.id, part));
}

async function applyCategories(tx: Tx, restaurantId: string, snap: SyncSnapshot, counts: SyncCounts, skips: SyncSkips): Promise<Map<number, string>> {
  const rows = await tx
    .select({ id: categories.id, posterId: categories.posterCategoryId, isArchived: categories.isArchived, name: categories.name })
    .from(categories)
    .where(isNotNull(categories.posterCategoryId));
  const result = new Map(rows.map((r) => [r.posterId!, r.id]));
  if (!snap.categories) return result;
  const local = rows.map((r) => ({ id: r.id, posterId: r.posterId!, isArchived: r.isArchived, fields: { name: r.name } }));
  // Poster has no "deleted" flag on ingredient categories: gone from the list means deleted.
  const wanted = snap.categories.rows.map((c) => ({ posterId: c.id, isArchived: false, fields: { name: c.name } }));
  const { upserts, archiveIds } = diff(local, wanted, snap.categories.only, counts.categories, keptOf(skips, "categories"));
  for (const part of chunks(upserts)) {
    const written = await tx
      .insert(categories)
      .values(part.map((w) => ({ restaurantId, posterCategoryId: w.posterId, name: w.fields.name, isArchived: w.isArchived })))
      .onConflictDoUpdate({ target: [categories.restaurantId, categories.posterCategoryId], set: { name: excluded("name"), isArchived: excluded("is_archived"), updatedAt: now } })
      .returning({ id: categories.id, posterId: categories.posterCategoryId });
    for (const w of written) result.set(w.posterId!, w.id);
  }
  for (const part of chunks(archiveIds)) await tx.update(categories).set({ isArchived: true, updatedAt: now }).where(inArray(categories.id, part));
  return result;
}

/** Unit food cost per ingredient, from any storage's leftovers row (Poster's prime_cost is per ingredient). */
function costsFrom(snap: SyncSnapshot): Map<number, number> {
  const costs = new Map<number, number>();
  for (const rows of snap.leftovers?.byStorage.values() ?? []) {
    for (const r of rows) if (r.primeCostMinor !== null && !costs.has(r.ingredientId)) costs.set(r.ingredientId, r.primeCostMinor);
  }
  return costs;
}

async function applyProducts(tx: Tx, restaurantId: string, snap: SyncSnapshot, categoryIds: Map<number, string>, counts: SyncCounts, skips: SyncSkips): Promise<Map<number, string>> {
  const ingredientIds = snap.leftovers ? [...new Set([...snap.leftovers.byStorage.values()].flatMap((rows) => rows.map((r) => r.ingredientId)))] : [];
  if (!snap.ingredients) {
    // Stock only: find the products the leftovers talk about.
    const result = new Map<number, string>();
    for (const part of chunks(ingredientIds)) {
      const rows = await tx.select({ id: products.id, posterId: products.posterIngredientId }).from(products).where(inArray(products.posterIngredientId, part));
      for (const r of rows) result.set(r.posterId!, r.id);
    }
    return result;
  }
  const rows = await tx
    .select({ id: products.id, posterId: products.posterIngredientId, isArchived: products.isArchived, name: products.name, unit: products.unit, categoryId: products.categoryId, costMinor: products.costMinor })
    .from(products)
    .where(isNotNull(products.posterIngredientId));
  const local = rows.map((r) => ({ id: r.id, posterId: r.posterId!, isArchived: r.isArchived, fields: { name: r.name, unit: r.unit, categoryId: r.categoryId, costMinor: r.costMinor } }));
  const localById = new Map(local.map((l) => [l.posterId, l]));
  const costs = costsFrom(snap);
  const wanted = snap.ingredients.rows
    // Type 2 are prepacks made in-house: nothing to order from a supplier.
    .filter((i) => i.type !== 2)
    .map((i) => ({
      posterId: i.id,
      // Hidden or deleted in Poster: kept for history, back when restored.
      isArchived: i.deleted || i.hidden,
      fields: {
        name: i.name,
        unit: i.unit,
        categoryId: i.categoryId === null ? null : (categoryIds.get(i.categoryId) ?? null),
        costMinor: costs.get(i.id) ?? localById.get(i.id)?.fields.costMinor ?? null,
      },
    }));
  const { upserts, archiveIds } = diff(local, wanted, snap.ingredients.only, counts.products, keptOf(skips, "products"));
  const result = new Map(local.map((l) => [l.posterId, l.id]));
  for (const part of chunks(upserts)) {
    const written = await tx
      .insert(products)
      .values(part.map((w) => ({ restaurantId, posterIngredientId: w.posterId, isArchived: w.isArchived, ...w.fields })))
      // Local fields (supplier mapping, last price) are not in the set: sync never overwrites them.
      .onConflictDoUpdate({
        target: [products.restaurantId, products.posterIngredientId],
        set: { name: excluded("name"), unit: excluded("unit"), categoryId: excluded("category_id"), costMinor: excluded("cost_minor"), isArchived: excluded("is_archived"), updatedAt: now },
      })
      .returning({ id: products.id, posterId: products.posterIngredientId });
    for (const w of written) result.set(w.posterId!, w.id);
  }
  for (const part of chunks(archiveIds)) await tx.update(products).set({ isArchived: true, updatedAt: now }).where(inArray(products.id, part));
  return result;
}

/**
 * Stock per (product, department) from that storage's own figure, never the all-storage total. A product joins
 * a department when the storage holds a non-zero quantity of it, and stays there at zero or below (those are the
 * ones to reorder). Par levels and hidden flags are local and never written here.
 */
async function applyStock(tx: Tx, restaurantId: string, snap: SyncSnapshot, depts: Map<number, { id: string; isArchived: boolean }>, productIds: Map<number, string>, counts: SyncCounts, skips: SyncSkips): Promise<void> {
  if (!snap.leftovers) return;
  const only = snap.leftovers.onlyIngredients;
  const deptIds = [...snap.leftovers.byStorage.keys()].flatMap((sid) => {
    const d = depts.get(sid);
    return d ? [d.id] : [];
  });
  if (deptIds.length === 0) return;
  const onlyProducts = only ? [...only].flatMap((pid) => (productIds.has(pid) ? [productIds.get(pid)!] : [])) : null;
  if (onlyProducts && onlyProducts.length === 0) return;
  const existing = await tx
    .select({ productId: productDepartments.productId, departmentId: productDepartments.departmentId, stock: productDepartments.stock })
    .from(productDepartments)
    .where(onlyProducts ? and(inArray(productDepartments.departmentId, deptIds), inArray(productDepartments.productId, onlyProducts)) : inArray(productDepartments.departmentId, deptIds));
  const current = new Map(existing.map((e) => [`${e.productId}:${e.departmentId}`, e.stock]));
  const syncedAt = new Date();
  const writes: (typeof productDepartments.$inferInsert)[] = [];
  for (const [storageId, rows] of snap.leftovers.byStorage) {
    const dept = depts.get(storageId);
    if (!dept) continue;
    for (const row of rows) {
      if (only && !only.has(row.ingredientId)) continue;
      const productId = productIds.get(row.ingredientId);
      if (!productId || row.storageLeft === null) continue;
      const stock = toQuantity3(row.storageLeft);
      if (stock === null) {
        // Beyond numeric(14,3): Postgres would refuse it and fail the whole sync. The old figure stays.
        skips.add("stock", row.ingredientId, `storage.getStorageLeftovers storage ${storageId} (id ${row.ingredientId}): storage_ingredient_left out of range: ${row.storageLeft.slice(0, 30)}`);
        continue;
      }
      const key = `${productId}:${dept.id}`;
      if (current.has(key)) {
        if (current.get(key) === stock) continue;
        counts.stock.changed++;
      } else {
        if (stock === "0.000") continue;
        counts.stock.added++;
      }
      writes.push({ restaurantId, productId, departmentId: dept.id, stock, stockSyncedAt: syncedAt });
    }
  }
  for (const part of chunks(writes)) {
    await tx
      .insert(productDepartments)
      .values(part)
      .onConflictDoUpdate({ target: [productDepartments.productId, productDepartments.departmentId], set: { stock: excluded("stock"), stockSyncedAt: excluded("stock_synced_at"), updatedAt: now } });
  }
}

/**
 * Applies a fetched snapshot inside the caller's tenant transaction. Rows are compared before writing, so an
 * unchanged account causes no write at all. `onStep` runs between entities (progress; also where a test injects
 * a failure to prove the whole transaction rolls back).
 */
export async function applySnapshot(tx: Tx, restaurantId: string, snap: SyncSnapshot, onStep: (label: string) => void | Promise<void> = () => {}): Promise<SyncCounts> {
  const counts = emptyCounts();
  const skips = snap.skips ?? new SyncSkips();
  // Two syncs of one restaurant never interleave their writes.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sync:${restaurantId}`}, 0))`);
  const depts = await applyDepartments(tx, restaurantId, snap, counts, skips);
  await onStep("departments");
  await applySuppliers(tx, restaurantId, snap, counts, skips);
  await onStep("suppliers");
  const categoryIds = await applyCategories(tx, restaurantId, snap, counts, skips);
  await onStep("categories");
  const productIds = await applyProducts(tx, restaurantId, snap, categoryIds, counts, skips);
  await onStep("products");
  await applyStock(tx, restaurantId, snap, depts, productIds, counts, skips);
  await onStep("stock");
  for (const entity of Object.keys(counts) as SyncEntity[]) counts[entity].skipped = skips.count(entity);
  return counts;
}

