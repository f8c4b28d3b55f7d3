import { createRng } from "./prng";
import type { PosterUnit } from "./names";
import type { SimIngredient, SimMenu, SimMenuCategory, SimProduct, SimRecipeLine, SimSpot } from "./types";

/**
 * The menu side of a simulated account (menu.getProducts, getProduct, getPrepacks, getCategories): goods sold as
 * they are (type 3, each the stock of one of the account's ingredients), dishes made from its ingredients by a
 * tech card (type 2) and the prepacks behind its "system" ingredients (type 1). Generated from its own seed, so
 * an account's storages, ingredients and stock stay exactly what they were before menus existed.
 */
const MENU_CATEGORIES = ["Салаты", "Супы", "Горячее", "Десерты", "Напитки", "Коктейли"] as const;

const DISHES: Record<(typeof MENU_CATEGORIES)[number], readonly string[]> = {
  Салаты: ["Цезарь с курицей", "Греческий", "Оливье", "Салат с тунцом", "Винегрет", "Салат с ростбифом", "Капрезе"],
  Супы: ["Борщ", "Солянка", "Куриный суп с лапшой", "Том ям", "Крем-суп из тыквы", "Уха"],
  Горячее: ["Бефстроганов", "Котлета по-киевски", "Стейк рибай", "Паста карбонара", "Плов", "Лосось на гриле", "Бургер классический", "Ризотто с грибами"],
  Десерты: ["Чизкейк", "Тирамису", "Медовик", "Панна-котта", "Блины со сметаной"],
  Напитки: ["Морс клюквенный", "Лимонад домашний", "Капучино", "Латте", "Чай с чабрецом"],
  Коктейли: ["Мохито", "Апероль шприц", "Маргарита", "Негрони", "Виски сауэр"],
};

/** Ingredient categories (names.ts order, 1-based) each menu category draws its tech cards from. */
const SOURCES: Record<(typeof MENU_CATEGORIES)[number], readonly number[]> = {
  Салаты: [1, 2, 4, 5, 7, 9], Супы: [1, 3, 4, 5, 8, 10], Горячее: [1, 3, 4, 5, 8, 9], Десерты: [2, 6, 8, 11],
  Напитки: [2, 12, 13], Коктейли: [2, 13, 14],
};
const DRINKS_CATEGORY = 13;

/** The cost of `amount` (grams, ml or pieces) of an ingredient whose prime cost is per kg, l or piece. */
export function lineCostMinor(ingredient: Pick<SimIngredient, "unit" | "primeCostMinor">, amount: number): number {
  return Math.round(ingredient.unit === "p" ? ingredient.primeCostMinor * amount : (ingredient.primeCostMinor * amount) / 1000);
}

export function productCostMinor(product: SimProduct, ingredients: ReadonlyMap<number, SimIngredient>): number {
  if (product.type === 3) return ingredients.get(product.ingredientId)?.primeCostMinor ?? 0;
  return product.recipe.reduce((sum, l) => {
    const ing = ingredients.get(l.ingredientId);
    return sum + (ing ? lineCostMinor(ing, l.brutto) : 0);
  }, 0);
}

function portion(unit: PosterUnit, rng: ReturnType<typeof createRng>): number {
  return unit === "p" ? rng.int(1, 3) : rng.int(2, 30) * 10;
}

/** Pure function of (seed, ingredients, spots): the same account always has the same menu. */
export function generateMenu(seed: string, ingredients: readonly SimIngredient[], spots: readonly SimSpot[]): SimMenu {
  const rng = createRng(`${seed}:menu`);
  const categories: SimMenuCategory[] = MENU_CATEGORIES.map((name, i) => ({ id: i + 1, name, hidden: false }));
  const usable = ingredients.filter((i) => i.type === 1 && !i.deleted);
  const byCategory = new Map<number, SimIngredient[]>();
  for (const ing of usable) byCategory.set(ing.categoryId, [...(byCategory.get(ing.categoryId) ?? []), ing]);
  const costs = new Map(ingredients.map((i) => [i.id, i] as const));
  const products: SimProduct[] = [];
  let structureId = 0;
  const prices = (costMinor: number) =>
    spots.map((spot) => ({ spotId: spot.id, priceMinor: Math.max(1000, Math.ceil((costMinor * rng.int(25, 40)) / 10 / 1000) * 1000), visible: true }));
  const recipeFrom = (pool: readonly SimIngredient[], lines: number): SimRecipeLine[] => {
    const picked = new Set<SimIngredient>();
    for (let i = 0; i < lines * 3 && picked.size < lines && pool.length > 0; i++) picked.add(rng.pick(pool));
    return [...picked].map((ing) => {
      const brutto = portion(ing.unit, rng);
      return { structureId: ++structureId, ingredientId: ing.id, brutto, netto: ing.unit === "p" ? brutto : Math.round(brutto * rng.int(80, 100) / 100) };
    });
  };

  // Dishes: a few per menu category, made of that category's kinds of ingredient.
  for (const category of categories) {
    const name = category.name as (typeof MENU_CATEGORIES)[number];
    const pool = SOURCES[name].flatMap((c) => byCategory.get(c) ?? []);
    if (pool.length === 0) continue;
    for (const dish of DISHES[name]) {
      const recipe = recipeFrom(pool, rng.int(2, 5));
      const product: SimProduct = {
        id: products.length + 1, name: dish, type: 2, categoryId: category.id, ingredientId: 0, recipe, prices: [],
        workshop: name === "Напитки" || name === "Коктейли" ? 2 : 1, cookingTimeS: rng.int(3, 25) * 60, hidden: rng.chance(0.05),
      };
      product.prices = prices(productCostMinor(product, costs));
      products.push(product);
    }
  }
  // Goods: the bottled drinks, sold as they are from their own stock.
  const drinks = categories.find((c) => c.name === "Напитки");
  for (const ing of byCategory.get(DRINKS_CATEGORY) ?? []) {
    if (!drinks || ing.unit !== "p") continue;
    const product: SimProduct = {
      id: products.length + 1, name: ing.name, type: 3, categoryId: drinks.id, ingredientId: ing.id, recipe: [], prices: [],
      workshop: 2, cookingTimeS: 0, hidden: ing.hidden,
    };
    product.prices = prices(productCostMinor(product, costs));
    products.push(product);
  }
  // Prepacks: one behind each system ingredient (type 2), made of ordinary ingredients.
  for (const system of ingredients.filter((i) => i.type === 2 && !i.deleted)) {
    const pool = byCategory.get(system.categoryId)?.length ? byCategory.get(system.categoryId)! : usable;
    products.push({
      id: products.length + 1, name: system.name, type: 1, categoryId: 0, ingredientId: system.id, recipe: recipeFrom(pool, rng.int(2, 4)),
      prices: [], workshop: 1, cookingTimeS: rng.int(10, 120) * 60, hidden: false,
    });
  }
  return { categories, products };
}
