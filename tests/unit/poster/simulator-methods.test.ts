import { describe, expect, it } from "vitest";
import { CAFE, api, apiJson, newSim } from "./support";

type Row = Record<string, unknown>;
const rows = (body: Record<string, unknown>) => body.response as Row[];

/** POST a JSON body to a write method. */
const post = (sim: ReturnType<typeof newSim>, method: string, body: unknown) =>
  apiJson(sim, method, {}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const DOCUMENTED = [
  ["menu.getProducts", {}], ["menu.getProduct", { product_id: "1" }], ["menu.getPrepacks", {}], ["menu.getCategories", {}],
  ["menu.getIngredient", { ingredient_id: "1" }], ["storage.getStorage", { storage_id: "1" }], ["application.getInfo", {}],
] as const;

describe("simulator: the documented methods answer as documented", () => {
  it("answers each of them (GET reads, POST writes) instead of 405 / code 30; a misspelled one still gets 405", async () => {
    const sim = newSim();
    for (const [method, query] of DOCUMENTED) {
      const res = await apiJson(sim, method, query);
      expect(res.status, method).toBe(200);
      expect(res.body.error, method).toBeUndefined();
      expect(res.body.response, method).toBeDefined();
    }
    const supply = { supply: { date: "2026-02-11 10:00:00", supplier_id: "1", storage_id: "1" }, ingredient: [{ id: "3", type: "4", num: "2", sum: "10" }] };
    const created = (await post(sim, "storage.createSupply", supply)).body.response as number;
    for (const [method, body] of [
      ["storage.updateSupply", { ...supply, supply: { ...supply.supply, supply_id: String(created) } }],
      ["application.setEntityExtras", { entity_type: "settings", extras: { sideId: "1" } }],
      ["storage.deleteSupply", { supply_id: created }],
    ] as const) {
      const res = await post(sim, method, body);
      expect(res.status, method).toBe(200);
      expect(res.body.error, method).toBeUndefined();
    }
    expect((await api(sim, "menu.getproducts")).status).toBe(405);
  });

  it("menu.getProducts: goods are the account's own ingredients at their cost, tech cards are made of its ingredients", async () => {
    const sim = newSim();
    const ingredients = new Map(rows((await apiJson(sim, "menu.getIngredients")).body).map((i) => [i.ingredient_id, i]));
    const primeCost = new Map(rows((await apiJson(sim, "storage.getStorageLeftovers", { zero_leftovers: "true" })).body).map((l) => [l.ingredient_id, l.prime_cost]));
    const spots = new Set(rows((await apiJson(sim, "access.getSpots")).body).map((s) => s.spot_id));
    const categories = new Map(rows((await apiJson(sim, "menu.getCategories")).body).map((c) => [c.category_id, c.category_name]));
    const products = rows((await apiJson(sim, "menu.getProducts")).body);
    const goods = products.filter((p) => p.type === "3");
    const dishes = products.filter((p) => p.type === "2");
    expect(goods.length).toBeGreaterThan(0);
    expect(dishes.length).toBeGreaterThan(10);
    expect(products.every((p) => p.type !== "1")).toBe(true); // prepacks come from menu.getPrepacks
    for (const p of products) {
      expect(categories.get(p.menu_category_id as string)).toBe(p.category_name);
      const prices = p.spots as Row[];
      expect(prices.length).toBeGreaterThan(0);
      for (const s of prices) {
        expect(spots.has(s.spot_id)).toBe(true);
        expect(Number(s.profit)).toBe(Number(s.price) - Number(p.cost));
      }
    }
    for (const g of goods) {
      expect(ingredients.get(g.ingredient_id as string)?.ingredient_name).toBe(g.product_name);
      expect(Number(g.cost)).toBe(Number(primeCost.get(g.ingredient_id as string)));
      expect(g).not.toHaveProperty("ingredients");
      expect(g.out).toBe(0);
    }
    for (const d of dishes) {
      expect(d.ingredient_id).toBe("0");
      const lines = d.ingredients as Row[];
      expect(lines.length).toBeGreaterThanOrEqual(1);
      for (const l of lines) {
        const ing = ingredients.get(l.ingredient_id as string);
        expect(ing?.ingredients_type).toBe("1");
        expect(l.ingredient_unit).toBe(ing?.ingredient_unit);
        expect(typeof l.structure_brutto).toBe("number");
      }
      expect(Number(d.cost)).toBe(lines.reduce((n, l) => n + Number(l.structure_selfprice), 0));
    }
    // Filters: type and category.
    expect(rows((await apiJson(sim, "menu.getProducts", { type: "products" })).body).map((p) => p.product_id)).toEqual(goods.map((p) => p.product_id));
    expect(rows((await apiJson(sim, "menu.getProducts", { type: "batchtickets" })).body).map((p) => p.product_id)).toEqual(dishes.map((p) => p.product_id));
    const first = dishes[0]!;
    const sameCategory = rows((await apiJson(sim, "menu.getProducts", { category_id: first.menu_category_id as string })).body);
    expect(sameCategory.length).toBeGreaterThan(0);
    expect(sameCategory.every((p) => p.menu_category_id === first.menu_category_id)).toBe(true);

    // getProduct: the same object; missing and unknown ids as Poster answers them.
    expect((await apiJson(sim, "menu.getProduct", { product_id: String(first.product_id) })).body.response).toEqual(first);
    expect((await apiJson(sim, "menu.getProduct")).body.error).toMatchObject({ code: 34 });
    expect((await apiJson(sim, "menu.getProduct", { product_id: "99999" })).body.error).toMatchObject({ code: 32 });
  });

  it("menu.getPrepacks are the account's system ingredients (type 2); menu.getCategories is its own namespace", async () => {
    const sim = newSim();
    const ingredients = new Map(rows((await apiJson(sim, "menu.getIngredients")).body).map((i) => [i.ingredient_id, i]));
    const prepacks = rows((await apiJson(sim, "menu.getPrepacks")).body);
    expect(prepacks.length).toBe([...ingredients.values()].filter((i) => i.ingredients_type === "2").length);
    for (const p of prepacks) {
      expect(ingredients.get(p.ingredient_id as string)).toMatchObject({ ingredients_type: "2", ingredient_name: p.product_name });
      expect(typeof p.out).toBe("number");
      expect((p.ingredients as Row[]).every((l) => ingredients.get(l.ingredient_id as string)?.ingredients_type === "1")).toBe(true);
    }
    const categories = rows((await apiJson(sim, "menu.getCategories")).body);
    expect(categories[0]).toMatchObject({ category_id: "1", parent_category: "0", category_hidden: "0", fiscal: "0" });
    expect(categories[0]).toHaveProperty("category_name");
    expect(rows((await apiJson(sim, "menu.getCategories", { fiscal: "1" })).body)).toEqual([]);
  });

  it("menu.getIngredient and storage.getStorage answer one row as the lists show it", async () => {
    const sim = newSim();
    const listed = rows((await apiJson(sim, "menu.getIngredients")).body)[4]!;
    const one = (await apiJson(sim, "menu.getIngredient", { ingredient_id: String(listed.ingredient_id), "1c": "true" })).body.response as Row;
    expect(one).toEqual({ ...listed, id_1c: null });
    expect((await apiJson(sim, "menu.getIngredient", { ingredient_id: "999999" })).body.error).toMatchObject({ code: 32 });
    expect((await apiJson(sim, "menu.getIngredient")).body.error).toMatchObject({ code: 34 });

    sim.edit(CAFE.login, { op: "deleteStorage", storageId: 2 });
    const storages = rows((await apiJson(sim, "storage.getStorages")).body);
    expect((await apiJson(sim, "storage.getStorage", { storage_id: "2" })).body.response).toEqual(storages[1]);
    expect(storages[1]).toMatchObject({ storage_id: "2", delete: "1" });
    expect((await apiJson(sim, "storage.getStorage", { storage_id: "77" })).body.error).toMatchObject({ code: 32 });
  });

  it("storage.updateSupply moves the stock from the old lines to the new ones; storage.deleteSupply takes it back", async () => {
    const sim = newSim({ webhooks: { url: "http://127.0.0.1:9/hook", retry: { retries: 0 } } });
    const left = async (storage: string, ingredient: string) =>
      Number(rows((await apiJson(sim, "storage.getStorageLeftovers", { storage_id: storage, zero_leftovers: "true" })).body).find((l) => l.ingredient_id === ingredient)?.storage_ingredient_left);
    const before = { s1i3: await left("1", "3"), s1i4: await left("1", "4"), s2i4: await left("2", "4") };
    const created = (
      await post(sim, "storage.createSupply", {
        supply: { date: "2026-02-11 10:00:00", supplier_id: "1", storage_id: "1", supply_comment: "first" },
        ingredient: [{ id: "3", type: "4", num: "2", sum: "10" }, { id: "4", type: "4", num: "1.5", sum: "4" }],
      })
    ).body.response as number;
    expect(await left("1", "3")).toBeCloseTo(before.s1i3 + 2, 5);

    const updated = await post(sim, "storage.updateSupply", {
      supply: { supply_id: String(created), date: "2026-02-12 09:30:00", supplier_id: "2", storage_id: "2", supply_comment: "moved" },
      ingredient: [{ id: "4", type: "4", num: "3", sum: "5" }],
    });
    expect(updated.body).toEqual({ success: 1, response: String(created) });
    expect(await left("1", "3")).toBeCloseTo(before.s1i3, 5);
    expect(await left("1", "4")).toBeCloseTo(before.s1i4, 5);
    expect(await left("2", "4")).toBeCloseTo(before.s2i4 + 3, 5);
    expect((await apiJson(sim, "storage.getSupply", { supply_id: String(created) })).body.response).toMatchObject({
      storage_id: "2", supplier_id: "2", date: "2026-02-12 09:30:00", supply_comment: "moved", supply_sum: "15.00",
    });
    // Invalid updates change nothing.
    expect((await post(sim, "storage.updateSupply", { supply: { supply_id: "999", date: "2026-02-12 09:30:00", supplier_id: "1", storage_id: "1" }, ingredient: [{ id: "4", type: "4", num: "1", sum: "1" }] })).body.error).toMatchObject({ code: 32 });
    expect((await post(sim, "storage.updateSupply", { supply: { supply_id: String(created), date: "bad", supplier_id: "1", storage_id: "1" }, ingredient: [] })).body.error).toMatchObject({ code: 155 });
    expect(await left("2", "4")).toBeCloseTo(before.s2i4 + 3, 5);

    const deleted = await post(sim, "storage.deleteSupply", { supply_id: created });
    expect(deleted.body).toEqual({ success: 1 });
    expect(await left("2", "4")).toBeCloseTo(before.s2i4, 5);
    const listed = rows((await apiJson(sim, "storage.getSupplies", { dateFrom: "20260201", dateTo: "20260228" })).body);
    expect(listed.find((s) => s.supply_id === String(created))).toMatchObject({ delete: "1" });
    expect((await post(sim, "storage.deleteSupply", { supply_id: created })).body.error).toMatchObject({ code: 32 });
    const hooks = sim.webhooks.deliveries().filter((d) => d.body.object === "supply").map((d) => d.body.action);
    expect(hooks).toEqual(["added", "changed", "removed"]);
    sim.close();
  });

  it("application.getInfo names the installer and the owner; setEntityExtras stores extras where reads show them", async () => {
    const sim = newSim();
    const info = (await apiJson(sim, "application.getInfo")).body.response as Row;
    expect(info).toMatchObject({ user: { id: "1", access_mask: "2147483647", email: `owner@${CAFE.login}.example` }, ownerInfo: { company_name: CAFE.companyName, country: "RU" } });

    expect((await post(sim, "application.setEntityExtras", { entity_type: "settings", extras: { token: "abc" } })).body).toEqual({ response: true });
    // Form-encoded, PHP-style: extras[sideId]=7.
    const form = new URLSearchParams({ entity_type: "product", entity_id: "2", "extras[sideId]": "7" });
    expect((await apiJson(sim, "application.setEntityExtras", {}, { method: "POST", body: form })).body).toEqual({ response: true });
    expect(((await apiJson(sim, "settings.getAllSettings")).body.response as Row).extras).toEqual({ token: "abc" });
    expect(((await apiJson(sim, "menu.getProduct", { product_id: "2" })).body.response as Row).extras).toEqual({ sideId: "7" });
    expect((await post(sim, "application.setEntityExtras", { entity_type: "product", entity_id: 99999, extras: { a: 1 } })).body.error).toMatchObject({ code: 32 });
    expect((await post(sim, "application.setEntityExtras", { entity_type: "product", entity_id: 2 })).body.error).toMatchObject({ code: 34 });
    expect((await post(sim, "application.setEntityExtras", { entity_type: "nonsense", entity_id: 2, extras: {} })).body.error).toMatchObject({ code: 155 });
  });

  it("keeps the account's storages, ingredients and stock exactly as before the menu existed (the menu has its own seed)", () => {
    const sim = newSim();
    const a = sim.account(CAFE.login);
    expect(a.data.ingredients).toHaveLength(CAFE.size.ingredients);
    expect(a.data.menu.products.length).toBeGreaterThan(0);
    const again = newSim().account(CAFE.login);
    expect(again.data.menu).toEqual(a.data.menu);
  });
});
