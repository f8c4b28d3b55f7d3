import { describe, expect, it } from "vitest";
import { explain, type ChecklistProduct } from "@/server/checklist/wire";
import { groupProducts, isBelowPar } from "@/ui/checklist/groups";

function product(name: string, category: string | null, stock: string | null, par: string | null, draft: string | null = null): ChecklistProduct {
  return {
    productId: name,
    name,
    unit: "kg",
    category: category === null ? null : { id: `c-${category}`, name: category },
    supplier: null,
    stock,
    stockSyncedAt: null,
    parLevel: par,
    onOrder: "0",
    suggested: par,
    explanation: explain(stock, par, "0", par),
    draftQuantity: draft,
  };
}

const products = [
  product("Молоко", "Молочка", "1", "5"),
  product("Сахар", null, "10", "2"),
  product("Яблоки", "Фрукты", null, "3", "2"),
  product("Сливки", "Молочка", "9", "5", "1"),
  product("Соль", "Бакалея", "-2", null),
];
const quantityOf = (p: ChecklistProduct) => p.draftQuantity ?? "0";
const names = (groups: ReturnType<typeof groupProducts>) => groups.map((g) => [g.name, g.products.map((p) => p.name)]);

describe("checklist groups", () => {
  it("groups by category, sorted by name, the uncategorised last, server order inside", () => {
    expect(names(groupProducts(products, { needle: "", filter: "all", quantityOf, locale: "ru" }))).toEqual([
      ["Бакалея", ["Соль"]],
      ["Молочка", ["Молоко", "Сливки"]],
      ["Фрукты", ["Яблоки"]],
      [null, ["Сахар"]],
    ]);
  });

  it("below par: stock under par, no stock counts as 0, no par never", () => {
    expect(products.filter(isBelowPar).map((p) => p.name)).toEqual(["Молоко", "Яблоки"]);
    expect(names(groupProducts(products, { needle: "", filter: "belowPar", quantityOf, locale: "ru" }))).toEqual([
      ["Молочка", ["Молоко"]],
      ["Фрукты", ["Яблоки"]],
    ]);
  });

  it("entered only, combined with the search", () => {
    expect(names(groupProducts(products, { needle: "", filter: "entered", quantityOf, locale: "ru" }))).toEqual([
      ["Молочка", ["Сливки"]],
      ["Фрукты", ["Яблоки"]],
    ]);
    expect(names(groupProducts(products, { needle: " СЛИВ", filter: "entered", quantityOf, locale: "ru" }))).toEqual([["Молочка", ["Сливки"]]]);
  });
});
