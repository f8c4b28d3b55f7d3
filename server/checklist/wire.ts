/**
 * The checklist's answer on the wire, and its decoding (pure: the browser imports it too).
 *
 * A 500-product department is read by every staff member every morning, and serialising it was most of the
 * server's CPU: one object per row with nested category/supplier objects, a Date per row (superjson annotates each)
 * and an explanation repeating par/stock/on-order/suggestion. On the wire a row is a flat tuple of strings,
 * categories and suppliers are listed once and referenced by index, the stock sync time is one department-level
 * value, and everything derivable (the explanation) is derived by decodeChecklist.
 */

/** The terms of the suggestion, so the UI can show the arithmetic: par − stock − on order = suggestion. */
export interface SuggestionExplanation {
  par: string | null;
  /** Stock in this storage as Poster reports it; null = no stock data. */
  stock: string | null;
  /** The stock the formula used: 0 when unknown or below zero. */
  stockUsed: string;
  onOrder: string;
  suggested: string | null;
  /** No par level: no suggestion. */
  parMissing: boolean;
  /** No stock data: counted as 0, so the suggestion is the whole par (minus what is on order). */
  stockMissing: boolean;
  /** Poster reports negative stock (usage recorded beyond supplies): counted as 0. */
  stockNegative: boolean;
}

/**
 * One product of the department: [productId, name, unit, category index, supplier index, stock, par level, on order,
 * suggested, draft quantity]. Indexes point into ChecklistWire.categories/suppliers, -1 for none (the supplier is the
 * effective one: the product's own, else its category's default). Quantities are decimal strings; stock and par
 * null when unknown, suggested null without a par, draft quantity null when the line is not in the actor's draft.
 */
export type ChecklistRow = [
  productId: string,
  name: string,
  unit: string,
  category: number,
  supplier: number,
  stock: string | null,
  parLevel: string | null,
  onOrder: string,
  suggested: string | null,
  draftQuantity: string | null,
];

export const ROW = { productId: 0, draftQuantity: 9 } as const;

export interface ChecklistWire {
  department: { id: string; name: string };
  /** The actor's draft in this department; updatedAt is ISO 8601. */
  draft: { id: string; updatedAt: string; lineCount: number } | null;
  /** When the department's stock was last synced from Poster (ISO 8601), null when never. */
  stockSyncedAt: string | null;
  /** [id, name] */
  categories: [string, string][];
  suppliers: [string, string][];
  rows: ChecklistRow[];
}

export interface ChecklistProduct {
  productId: string;
  name: string;
  unit: string;
  category: { id: string; name: string } | null;
  supplier: { id: string; name: string } | null;
  stock: string | null;
  /** The department's stock sync time, for a product with stock data. */
  stockSyncedAt: Date | null;
  parLevel: string | null;
  onOrder: string;
  suggested: string | null;
  explanation: SuggestionExplanation;
  draftQuantity: string | null;
}

export interface DepartmentChecklist {
  department: { id: string; name: string };
  draft: { id: string; updatedAt: Date; lineCount: number } | null;
  products: ChecklistProduct[];
}

/** The suggestion's terms from the row's own values: what the server computed with, in the same order. */
export function explain(stock: string | null, par: string | null, onOrder: string, suggested: string | null): SuggestionExplanation {
  const stockNegative = stock !== null && stock.startsWith("-");
  return {
    par,
    stock,
    stockUsed: stock === null || stockNegative ? "0" : stock,
    onOrder,
    suggested,
    parMissing: par === null,
    stockMissing: stock === null,
    stockNegative,
  };
}

export function decodeChecklist(wire: ChecklistWire): DepartmentChecklist {
  const syncedAt = wire.stockSyncedAt === null ? null : new Date(wire.stockSyncedAt);
  const pair = (list: [string, string][], i: number) => (i >= 0 && list[i] ? { id: list[i][0], name: list[i][1] } : null);
  return {
    department: wire.department,
    draft: wire.draft ? { ...wire.draft, updatedAt: new Date(wire.draft.updatedAt) } : null,
    products: wire.rows.map(([productId, name, unit, category, supplier, stock, parLevel, onOrder, suggested, draftQuantity]) => ({
      productId,
      name,
      unit,
      category: pair(wire.categories, category),
      supplier: pair(wire.suppliers, supplier),
      stock,
      stockSyncedAt: stock === null ? null : syncedAt,
      parLevel,
      onOrder,
      suggested,
      explanation: explain(stock, parLevel, onOrder, suggested),
      draftQuantity,
    })),
  };
}

/** The wire answer with one product's draft quantity replaced (after a save), for the client's cache. */
export function withDraftQuantity(wire: ChecklistWire, productId: string, quantity: string | null): ChecklistWire {
  return {
    ...wire,
    rows: wire.rows.map((row) => {
      if (row[ROW.productId] !== productId) return row;
      const next = [...row] as ChecklistRow;
      next[ROW.draftQuantity] = quantity;
      return next;
    }),
  };
}
