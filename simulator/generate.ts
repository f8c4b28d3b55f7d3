import { generateMenu } from "./menu";
import { createRng, type Rng } from "./prng";
import { INGREDIENT_CATEGORIES, PACK_SIZES, STORAGE_NAMES, supplierName, type PosterUnit } from "./names";
import {
  QTY_SCALE,
  type SimAccountData, type SimCategory, type SimIngredient, type SimSpot, type SimStorage, type SimSupplier,
} from "./types";

export interface SimAccountSize {
  /** 1–6 (default: 3–6 from the seed). */
  storages?: number;
  /** 1–5000 (default: 300–2,000 from the seed). */
  ingredients?: number;
  /** default: 20–60 from the seed. */
  suppliers?: number;
}

/** Phone prefixes per country so a KZ account gets KZ numbers. */
function phone(rng: Rng, country: string): string {
  const two = () => String(rng.int(0, 99)).padStart(2, "0");
  const code = country === "KZ" ? rng.pick(["701", "705", "707", "747", "777"]) : rng.pick(["903", "905", "915", "916", "925", "926", "977", "999"]);
  return `+7 ${code} ${String(rng.int(0, 999)).padStart(3, "0")}-${two()}-${two()}`;
}

function digits(rng: Rng, n: number): string {
  let s = String(rng.int(1, 9));
  while (s.length < n) s += String(rng.int(0, 9));
  return s;
}

function generateIngredients(rng: Rng, count: number, categories: SimCategory[]): SimIngredient[] {
  // Build the candidate names category by category, then take a seeded sample, so names stay unique.
  type Candidate = { name: string; unit: PosterUnit; categoryId: number };
  const pools: Candidate[][] = INGREDIENT_CATEGORIES.map((spec, i) => {
    const pool: Candidate[] = [];
    for (const [base, unit] of spec.items) {
      for (const variant of spec.variants) pool.push({ name: variant ? `${base} ${variant}` : base, unit, categoryId: i + 1 });
    }
    return pool;
  });
  const used = new Set<string>();
  const out: SimIngredient[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 50) {
    const pool = rng.pick(pools);
    const cand = rng.pick(pool);
    let name = cand.name;
    if (used.has(name)) name = `${cand.name}, ${rng.pick(PACK_SIZES[cand.unit])}`;
    if (used.has(name)) continue;
    used.add(name);
    const id = out.length + 1;
    const unitCost = cand.unit === "p" ? rng.int(500, 40_000) : cand.unit === "l" ? rng.int(5_000, 300_000) : rng.int(3_000, 250_000);
    out.push({
      id,
      name,
      barcode: rng.chance(0.3) ? digits(rng, 13) : "",
      // A few ingredients sit outside any category ("0" in Poster).
      categoryId: rng.chance(0.04) ? 0 : cand.categoryId,
      unit: cand.unit,
      weight: cand.unit === "p" && rng.chance(0.3) ? rng.int(1, 50) / 100 : 0,
      type: rng.chance(0.05) ? 2 : 1,
      limitValue: rng.chance(0.3) ? rng.int(1, 20) : 0,
      primeCostMinor: unitCost,
      hidden: rng.chance(0.03),
      deleted: false,
    });
  }
  // Fall back to numbered names if the vocabulary is exhausted (only for very large custom sizes).
  while (out.length < count) {
    const cat = rng.pick(categories);
    const id = out.length + 1;
    out.push({
      id, name: `${cat.name}: позиция ${id}`, barcode: "", categoryId: cat.id, unit: "kg", weight: 0, type: 1,
      limitValue: 0, primeCostMinor: rng.int(1_000, 100_000), hidden: false, deleted: false,
    });
  }
  return out;
}

function randomQtyScaled(rng: Rng, unit: PosterUnit): number {
  if (unit === "p") return rng.int(1, 240) * QTY_SCALE;
  const max = unit === "kg" ? 60_000 : 30_000; // thousandths
  return rng.int(50, max) * (QTY_SCALE / 1000);
}

/** Pure function of (seed, size): the same seed always yields the same account data. Ids start at 1. */
export function generateAccountData(seed: string, size: SimAccountSize = {}, country = "RU"): SimAccountData {
  const rng = createRng(seed);
  const storageCount = Math.min(6, Math.max(1, size.storages ?? rng.int(3, 6)));
  const ingredientCount = Math.max(1, size.ingredients ?? rng.int(300, 2_000));
  const supplierCount = Math.max(0, size.suppliers ?? rng.int(20, 60));

  const storages: SimStorage[] = STORAGE_NAMES.slice(0, storageCount).map((name, i) => ({
    id: i + 1, name, address: i === 0 ? "" : rng.pick(["", "", "цокольный этаж", "2 этаж"]), deleted: false,
  }));
  const categories: SimCategory[] = INGREDIENT_CATEGORIES.map((c, i) => ({ id: i + 1, name: c.name }));

  const usedSupplierNames = new Set<string>();
  const suppliers: SimSupplier[] = [];
  for (let tries = 0; suppliers.length < supplierCount && tries < supplierCount * 20; tries++) {
    const parts = supplierName(rng.pick, rng.int);
    if (usedSupplierNames.has(parts.name)) continue;
    usedSupplierNames.add(parts.name);
    suppliers.push({
      id: suppliers.length + 1,
      name: parts.name,
      phone: rng.chance(0.9) ? phone(rng, country) : "",
      address: parts.address,
      comment: parts.comment,
      code: parts.form === "ИП" ? "" : digits(rng, 8),
      tin: digits(rng, parts.form === "ИП" ? 12 : 10),
      deleted: false,
    });
  }

  const ingredients = generateIngredients(rng, ingredientCount, categories);

  // Stock: ~25% no row, ~12% explicit zero, ~5% negative (sold below zero), the rest positive.
  const stock = new Map<number, Map<number, number>>();
  for (const storage of storages) {
    const rows = new Map<number, number>();
    for (const ing of ingredients) {
      const roll = rng.next();
      if (roll < 0.25) continue;
      if (roll < 0.37) rows.set(ing.id, 0);
      else if (roll < 0.42) rows.set(ing.id, -randomQtyScaled(rng, ing.unit) / 10);
      else rows.set(ing.id, randomQtyScaled(rng, ing.unit));
    }
    stock.set(storage.id, rows);
  }
  for (const rows of stock.values()) for (const [k, v] of rows) rows.set(k, Math.round(v));

  // One spot per two storages, so multi-spot accounts exist.
  const spots: SimSpot[] = [];
  for (let i = 0; i < storages.length; i += 3) {
    spots.push({
      id: spots.length + 1,
      name: spots.length === 0 ? "Основной зал" : `Точка ${spots.length + 1}`,
      address: `${rng.pick(["ул. Пушкина", "пр. Ленина", "ул. Абая", "ул. Тверская"])}, ${rng.int(1, 99)}`,
      storageIds: storages.slice(i, i + 3).map((s) => s.id),
    });
  }

  return { storages, categories, suppliers, ingredients, spots, stock, supplies: [], menu: generateMenu(seed, ingredients, spots) };
}
