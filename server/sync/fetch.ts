import type { PosterClient, PosterLeftover } from "@/server/poster";
import type { SyncSnapshot, SyncTarget } from "./types";

type Step = (label: string, moreSteps?: number) => void | Promise<void>;

async function leftoversFor(client: PosterClient, storageIds: number[], step: Step, categoryId?: number): Promise<Map<number, PosterLeftover[]>> {
  const byStorage = new Map<number, PosterLeftover[]>();
  // In parallel: the shared limiter keeps us within the account's concurrency and rate.
  await Promise.all(
    storageIds.map(async (storageId) => {
      // zero_leftovers: a product at zero must still come back, or it could not be told from "not synced".
      byStorage.set(storageId, await client.getStorageLeftovers({ storageId, zeroLeftovers: true, ...(categoryId ? { categoryId } : {}) }));
      await step(`leftovers:${storageId}`);
    }),
  );
  return byStorage;
}

/** Everything a full sync needs, fetched before anything is written. */
export async function fetchFull(client: PosterClient, step: Step): Promise<SyncSnapshot> {
  const [storages, suppliers, categories, ingredients] = await Promise.all([
    client.getStorages().then(async (r) => (await step("storages"), r)),
    client.getSuppliers().then(async (r) => (await step("suppliers"), r)),
    client.getCategoriesIngredients().then(async (r) => (await step("categories"), r)),
    client.getIngredients().then(async (r) => (await step("ingredients"), r)),
  ]);
  const active = storages.filter((s) => !s.deleted).map((s) => s.id);
  await step("plan", active.length);
  const byStorage = await leftoversFor(client, active, step);
  return { storages: { rows: storages }, suppliers: { rows: suppliers }, categories: { rows: categories }, ingredients: { rows: ingredients }, leftovers: { byStorage } };
}

/**
 * What a targeted sync fetches. `storagesWeHave` are the Poster storage ids of the restaurant's live
 * departments: an ingredient's stock is read from each of them.
 */
export async function fetchTargeted(client: PosterClient, target: SyncTarget, storagesWeHave: number[], step: Step): Promise<SyncSnapshot> {
  switch (target.kind) {
    case "suppliers":
      return { suppliers: { rows: await client.getSuppliers() } };
    case "category":
      return { categories: { rows: await client.getCategoriesIngredients(), only: new Set([target.posterId]) } };
    case "storage": {
      const storages = await client.getStorages();
      const storage = storages.find((s) => s.id === target.posterId);
      const snap: SyncSnapshot = { storages: { rows: storages, only: new Set([target.posterId]) } };
      if (storage && !storage.deleted) snap.leftovers = { byStorage: await leftoversFor(client, [storage.id], step) };
      return snap;
    }
    case "stock": {
      const byStorage = await leftoversFor(client, [target.storagePosterId], step);
      return { leftovers: { byStorage, ...(target.ingredientPosterId !== undefined ? { onlyIngredients: new Set([target.ingredientPosterId]) } : {}) } };
    }
    case "ingredient": {
      const [ingredients, categories] = await Promise.all([client.getIngredients(), client.getCategoriesIngredients()]);
      const ingredient = ingredients.find((i) => i.id === target.posterId);
      const only = new Set([target.posterId]);
      const snap: SyncSnapshot = { ingredients: { rows: ingredients, only } };
      if (ingredient?.categoryId) snap.categories = { rows: categories, only: new Set([ingredient.categoryId]) };
      if (ingredient && !ingredient.deleted) {
        snap.leftovers = { byStorage: await leftoversFor(client, storagesWeHave, step, ingredient.categoryId ?? undefined), onlyIngredients: only };
      }
      return snap;
    }
  }
}
