import type { ChecklistProduct } from "@/server/checklist/wire";
import { compareQuantities } from "@/vocabulary/quantity";

/** What the checklist shows: everything, lines under their par level, or lines already entered. */
export type ChecklistFilter = "all" | "belowPar" | "entered";
export const FILTERS: readonly ChecklistFilter[] = ["all", "belowPar", "entered"];
export const isFilter = (v: string | null): v is ChecklistFilter => v !== null && (FILTERS as readonly string[]).includes(v);

export interface CategoryGroup {
  /** null: products without a category (listed last). */
  id: string | null;
  name: string | null;
  products: ChecklistProduct[];
}

/** Stock is under the par level (no stock data counts as 0, as the suggestion does). */
export function isBelowPar(p: ChecklistProduct): boolean {
  if (p.parLevel === null) return false;
  return compareQuantities(p.explanation.stockUsed, p.parLevel) === -1;
}

/**
 * The visible products grouped by category, categories by name in the reader's language, products in the
 * server's order within a category; the uncategorised last.
 */
export function groupProducts(
  products: readonly ChecklistProduct[],
  { needle, filter, quantityOf, locale }: { needle: string; filter: ChecklistFilter; quantityOf: (p: ChecklistProduct) => string; locale: string },
): CategoryGroup[] {
  const q = needle.trim().toLocaleLowerCase(locale);
  const groups = new Map<string | null, CategoryGroup>();
  for (const p of products) {
    if (q && !p.name.toLocaleLowerCase(locale).includes(q)) continue;
    if (filter === "belowPar" && !isBelowPar(p)) continue;
    if (filter === "entered" && quantityOf(p) === "0") continue;
    const id = p.category?.id ?? null;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { id, name: p.category?.name ?? null, products: [] }));
    group.products.push(p);
  }
  const collator = new Intl.Collator(locale);
  return [...groups.values()].sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : collator.compare(a.name, b.name)));
}
