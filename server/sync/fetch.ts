import type { PosterClient, PosterLeftover, PosterSkippedRow } from "@/server/poster";
import { SyncSkips } from "./skips";
import type { SyncSnapshot, SyncTarget } from "./types";

type Step = (label: string, moreSteps?: number) => void | Promise<void>;

async function leftoversFor(
  client: PosterClient,
  storageIds: number[],
  step: Step,
  skips: SyncSkips,
  filter: { categoryId?: number; onlyIngredients?: ReadonlySet<number> } = {},
): Promise<Map<number, PosterLeftover[]>> {
  const byStorage = new Map<number, PosterLeftover[]>();
  // In parallel: the shared limiter keeps us within the account's concurrency, rate and spacing.
  await Promise.all(
    storageIds.map(async (storageId) => {
      // zero_leftovers: a product at zero must still come back, or it could not be told from "not synced".
      const query = { storageId, zeroLeftovers: true, ...(filter.categoryId ? { categoryId: filter.categoryId } : {}) };
      byStorage.set(storageId, await client.getStorageLeftovers(query, { onSkip: skips.sink("stock", filter.onlyIngredients) }));
      await step(`leftovers:${storageId}`);
    }),
  );
  return byStorage;
}

/** Steps a full fetch reports before it knows how many storages there are. */
export const FULL_FETCH_STEPS = 6;

/** Everything a full sync needs, fetched before anything is written. */
export async function fetchFull(client: PosterClient, step: Step): Promise<SyncSnapshot> {
  const skips = new SyncSkips();
  const [settings, storages, suppliers, categories, ingredients] = await Promise.all([
    client.getAllSettings().then(async (r) => (await step("settings"), r)),
    client.getStorages({ onSkip: skips.sink("departments") }).then(async (r) => (await step("storages"), r)),
    client.getSuppliers({ onSkip: skips.sink("suppliers") }).then(async (r) => (await step("suppliers"), r)),
    client.getCategoriesIngredients({ onSkip: skips.sink("categories") }).then(async (r) => (await step("categories"), r)),
    client.getIngredients({ onSkip: skips.sink("products") }).then(async (r) => (await step("ingredients"), r)),
  ]);
  const active = storages.filter((s) => !s.deleted).map((s) => s.id);
  await step("plan", active.length);
  const byStorage = await leftoversFor(client, active, step, skips);
  return {
    settings,
    storages: { rows: storages },
    suppliers: { rows: suppliers },
    categories: { rows: categories },
    ingredients: { rows: ingredients },
    leftovers: { byStorage },
    skips,
  };
}

/**
 * What a targeted sync fetches. `storagesWeHave` are the Poster storage ids of the restaurant's live
 * departments: an ingredient's stock is read from each of them.
 */
export async function fetchTargeted(client: PosterClient, target: SyncTarget, storagesWeHave: number[], step: Step): Promise<SyncSnapshot> {
  const skips = new SyncSkips();
  switch (target.kind) {
    case "suppliers":
      return { suppliers: { rows: await client.getSuppliers({ onSkip: skips.sink("suppliers") }) }, skips };
    case "category": {
      const only = new Set([target.posterId]);
      return { categories: { rows: await client.getCategoriesIngredients({ onSkip: skips.sink("categories", only) }), only }, skips };
    }
    case "storage": {
      const storages = await client.getStorages({ onSkip: skips.sink("departments", new Set([target.posterId])) });
      const storage = storages.find((s) => s.id === target.posterId);
      const snap: SyncSnapshot = { storages: { rows: storages, only: new Set([target.posterId]) }, skips };
      if (storage && !storage.deleted) snap.leftovers = { byStorage: await leftoversFor(client, [storage.id], step, skips) };
      return snap;
    }
    case "stock": {
      const onlyIngredients = target.ingredientPosterId !== undefined ? new Set([target.ingredientPosterId]) : undefined;
      const byStorage = await leftoversFor(client, [target.storagePosterId], step, skips, onlyIngredients ? { onlyIngredients } : {});
      return { leftovers: { byStorage, ...(onlyIngredients ? { onlyIngredients } : {}) }, skips };
    }
    case "ingredient": {
      const only = new Set([target.posterId]);
      // Only the target's category matters, and it is not known until the ingredients are in.
      const categorySkips: PosterSkippedRow[] = [];
      const [ingredients, categories] = await Promise.all([
        client.getIngredients({ onSkip: skips.sink("products", only) }),
        client.getCategoriesIngredients({ onSkip: (row) => void categorySkips.push(row) }),
      ]);
      const ingredient = ingredients.find((i) => i.id === target.posterId);
      const snap: SyncSnapshot = { ingredients: { rows: ingredients, only }, skips };
      if (ingredient?.categoryId) {
        const onlyCategory = new Set([ingredient.categoryId]);
        snap.categories = { rows: categories, only: onlyCategory };
        categorySkips.forEach(skips.sink("categories", onlyCategory));
      }
      if (ingredient && !ingredient.deleted) {
        const filter = { onlyIngredients: only, ...(ingredient.categoryId ? { categoryId: ingredient.categoryId } : {}) };
        snap.leftovers = { byStorage: await leftoversFor(client, storagesWeHave, step, skips, filter), onlyIngredients: only };
      }
      return snap;
    }
  }
}
