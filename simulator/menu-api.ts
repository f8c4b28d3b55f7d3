import { SimError, type SimAccount } from "./account";
import type { Params } from "./body";
import { flag, fmtMinor } from "./format";
import { lineCostMinor, productCostMinor } from "./menu";
import type { SimIngredient, SimProduct } from "./types";

/** The menu methods, shaped as ru/web/menu/getProducts.md, getProduct.md, getPrepacks.md and getCategories.md show. */
export interface MenuResult { response: unknown }

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
const intParam = (v: unknown): number | undefined => {
  const s = str(v);
  return s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : undefined;
};

const ingredientsById = (a: SimAccount) => new Map(a.data.ingredients.map((i) => [i.id, i] as const));

/** What the account's settings printed as "extras" for an entity (application.setEntityExtras). */
export function extrasOf(a: SimAccount, entityType: string, entityId: number | null): Record<string, unknown> | undefined {
  return a.extras.get(`${entityType}:${entityId ?? ""}`);
}

function recipeRows(product: SimProduct, ingredients: ReadonlyMap<number, SimIngredient>) {
  return product.recipe.map((l) => {
    const ing = ingredients.get(l.ingredientId);
    const cost = ing ? lineCostMinor(ing, l.brutto) : 0;
    return {
      structure_id: String(l.structureId),
      ingredient_id: String(l.ingredientId),
      pr_in_clear: "0", pr_in_cook: "0", pr_in_fry: "0", pr_in_stew: "0", pr_in_bake: "0",
      // Poster prints the portion of a kg or l ingredient in g or ml under the ingredient's unit.
      structure_unit: ing?.unit ?? "kg",
      structure_type: "1",
      // Numbers, as in the doc examples.
      structure_brutto: l.brutto,
      structure_netto: l.netto,
      structure_lock: "1",
      structure_selfprice: fmtMinor(cost),
      structure_selfprice_netto: fmtMinor(Math.round(cost / 1.2)),
      ingredient_name: ing?.name ?? "",
      ingredient_unit: ing?.unit ?? "kg",
      ingredient_weight: String(ing?.weight ?? 0),
      ingredients_losses_clear: "0", ingredients_losses_cook: "0", ingredients_losses_fry: "0", ingredients_losses_stew: "0", ingredients_losses_bake: "0",
    };
  });
}

function productRow(a: SimAccount, p: SimProduct, ingredients: ReadonlyMap<number, SimIngredient>) {
  const cost = productCostMinor(p, ingredients);
  const category = a.data.menu.categories.find((c) => c.id === p.categoryId);
  const netto = p.recipe.reduce((n, l) => n + l.netto, 0);
  const extras = extrasOf(a, "product", p.id);
  return {
    barcode: "",
    category_name: category?.name ?? "",
    unit: "",
    cost: fmtMinor(cost),
    cost_netto: fmtMinor(Math.round(cost / 1.2)),
    fiscal: "0",
    hidden: flag(p.hidden),
    menu_category_id: String(p.categoryId),
    workshop: String(p.workshop),
    nodiscount: "0",
    photo: "",
    photo_origin: "",
    product_code: "",
    product_id: String(p.id),
    product_name: p.name,
    sort_order: "999",
    tax_id: "0",
    product_tax_id: "0",
    type: String(p.type),
    weight_flag: "0",
    color: "white",
    spots: p.prices.map((s) => ({
      spot_id: String(s.spotId),
      price: fmtMinor(s.priceMinor),
      profit: fmtMinor(s.priceMinor - cost),
      profit_netto: fmtMinor(Math.round((s.priceMinor - cost) / 1.2)),
      visible: flag(s.visible),
    })),
    ingredient_id: String(p.type === 3 ? p.ingredientId : 0),
    cooking_time: String(p.cookingTimeS),
    // A number for tech cards, always 0 for goods (as the docs print it).
    out: p.type === 3 ? 0 : netto,
    ...(p.type === 3 ? {} : { product_production_description: "", ingredients: recipeRows(p, ingredients) }),
    ...(extras ? { extras } : {}),
  };
}

/** menu.getProducts: goods and tech cards; `type` = products (goods) or batchtickets (dishes), `category_id`. */
export function getProducts(a: SimAccount, params: Params): MenuResult {
  const categoryId = intParam(params.category_id);
  const type = str(params.type);
  const ingredients = ingredientsById(a);
  const list = a.data.menu.products.filter((p) => {
    if (p.type === 1) return false; // prepacks have their own method
    if (type === "products" && p.type !== 3) return false;
    if (type === "batchtickets" && p.type !== 2) return false;
    return categoryId === undefined || p.categoryId === categoryId;
  });
  return { response: list.map((p) => productRow(a, p, ingredients)) };
}

export function getProduct(a: SimAccount, params: Params): MenuResult {
  const id = intParam(params.product_id);
  if (id === undefined) throw new SimError(34, "Field product_id is required");
  const product = a.data.menu.products.find((p) => p.id === id);
  if (!product) throw new SimError(32, "Product does not exist");
  return { response: productRow(a, product, ingredientsById(a)) };
}

/** menu.getPrepacks: semi-finished products made in-house; `ingredient_id` is their system ingredient. */
export function getPrepacks(a: SimAccount, params: Params): MenuResult {
  const ingredients = ingredientsById(a);
  const with1c = str(params["1c"]) === "true";
  return {
    response: a.data.menu.products
      .filter((p) => p.type === 1)
      .map((p) => {
        const cost = productCostMinor(p, ingredients);
        return {
          product_id: String(p.id),
          ingredient_id: String(p.ingredientId),
          product_name: p.name,
          cost: fmtMinor(cost),
          cost_netto: fmtMinor(Math.round(cost / 1.2)),
          out: p.recipe.reduce((n, l) => n + l.netto, 0),
          product_production_description: "",
          ...(with1c ? { id_1c: null } : {}),
          ingredients: recipeRows(p, ingredients),
        };
      }),
  };
}

/** menu.getCategories: menu (product) categories, a namespace apart from the ingredient categories. */
export function getCategories(a: SimAccount, params: Params): MenuResult {
  const fiscal = str(params.fiscal);
  // None of the simulated categories is fiscal: asking for fiscal ones finds none.
  if (fiscal === "1") return { response: [] };
  return {
    response: a.data.menu.categories.map((c, i) => ({
      category_id: String(c.id),
      category_name: c.name,
      category_photo: "",
      parent_category: "0",
      category_color: "white",
      category_hidden: flag(c.hidden),
      sort_order: String(i + 1),
      fiscal: "0",
      nodiscount: "0",
      tax_id: "0",
      left: String(i * 2 + 1),
      right: String(i * 2 + 2),
      level: "1",
      category_tag: null,
    })),
  };
}
