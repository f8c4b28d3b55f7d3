import type { PosterIngredient, PosterIngredientCategory, PosterLeftover, PosterSettings, PosterStorage, PosterSupplier } from "@/server/poster";
import type { SyncSkips } from "./skips";

export type SyncTrigger = "onboarding" | "manual" | "schedule" | "webhook";

export type SyncEntity = "departments" | "suppliers" | "categories" | "products" | "stock";
// A type alias (not an interface) so it fits the jsonb column's index signature.
export type EntityCounts = {
  added: number;
  changed: number;
  archived: number;
  /** Rows Poster sent that could not be used (kept as they were locally). */
  skipped: number;
};
export type SyncCounts = Record<SyncEntity, EntityCounts>;

export interface SyncProgress {
  done: number;
  total: number;
  label: string;
}

export type SyncTarget =
  | { kind: "ingredient"; posterId: number }
  | { kind: "category"; posterId: number }
  | { kind: "storage"; posterId: number }
  | { kind: "stock"; storagePosterId: number; ingredientPosterId?: number }
  | { kind: "suppliers" };

export interface SyncRunResult {
  runId: string;
  restaurantId: string;
  trigger: SyncTrigger;
  /** "full" or the target ("ingredient:73", "stock:1:73", "suppliers"). */
  scope: string;
  status: "succeeded";
  counts: SyncCounts;
  /** The first few skipped rows, named. */
  skippedReasons: string[];
  /** Account settings the run changed: field → { from, to }. */
  settingsChanges: SettingsChanges;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * What was fetched from Poster. Each list is authoritative for the ids in `only` (a targeted sync: present →
 * upsert, absent → archive) or, without `only`, for the whole entity (anything local not in it is archived).
 */
export interface SyncSnapshot {
  storages?: { rows: PosterStorage[]; only?: ReadonlySet<number> };
  suppliers?: { rows: PosterSupplier[]; only?: ReadonlySet<number> };
  categories?: { rows: PosterIngredientCategory[]; only?: ReadonlySet<number> };
  ingredients?: { rows: PosterIngredient[]; only?: ReadonlySet<number> };
  /** Per-storage leftovers (storage_ingredient_left), by Poster storage id. */
  leftovers?: { byStorage: ReadonlyMap<number, PosterLeftover[]>; onlyIngredients?: ReadonlySet<number> };
  /** The account settings (full syncs): name, currency, timezone and language are refreshed from them. */
  settings?: PosterSettings;
  /** Rows that could not be read while fetching; the apply adds the ones Postgres could not take. */
  skips?: SyncSkips;
}

/** The restaurant fields a sync refreshes from the account settings. */
export type SettingsField = "name" | "currency" | "timezone" | "locale";
export type SettingsChanges = Partial<Record<SettingsField, { from: string; to: string }>>;

const zero = (): EntityCounts => ({ added: 0, changed: 0, archived: 0, skipped: 0 });
export const emptyCounts = (): SyncCounts => ({ departments: zero(), suppliers: zero(), categories: zero(), products: zero(), stock: zero() });
