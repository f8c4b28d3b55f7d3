import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { withTenant } from "@/db/scope";
import { categories, departments, posterConnections, productDepartments, products, restaurants, suppliers, syncRuns } from "@/db/schema";
import { PosterNotConnectedError } from "@/server/connections";
import { createPosterClient, type PosterClient, type PosterLimiter } from "@/server/poster";
import { createPosterSimulator, type PosterSimulator } from "@/simulator";
import { CURRENCIES } from "@/simulator/account";
import { QTY_SCALE } from "@/simulator/types";
import { runFullSync, runTargetedSync, SyncFailedError } from "@/server/sync";
import { closeDatabase, createRestaurant, openTestDatabase, testDatabaseKind } from "../support/database";

const noLimiter: PosterLimiter = { run: (_key, fn) => fn() };
const SIZE = { storages: 3, ingredients: 150, suppliers: 12 };

let sim: PosterSimulator;

/** A fresh simulator account and a restaurant for it; the client talks to the in-process simulator. */
async function setup(seed?: string) {
  const account = sim.createAccount({ size: SIZE, ...(seed ? { seed } : {}) });
  const info = account.info();
  const restaurant = await createRestaurant();
  const client = createPosterClient({ baseUrl: "http://poster.test", accountNumber: info.accountNumber, token: info.token, fetch: sim.fetch, limiter: noLimiter, retry: { retries: 0 } });
  return { login: info.login, account, restaurantId: restaurant.id, client };
}

const tenant = <T>(id: string, fn: Parameters<typeof withTenant<T>>[1]) => withTenant(id, fn);

/** Every catalogue row's xmin: any insert, update or delete changes the set. */
async function catalogueVersions(restaurantId: string): Promise<string> {
  return tenant(restaurantId, async (tx) => {
    const parts: string[] = [];
    for (const table of ["departments", "suppliers", "categories", "products", "product_departments"]) {
      const r = await tx.execute(sql`select count(*)::int as n, coalesce(string_agg(xmin::text, ',' order by xmin::text), '') as v from ${sql.identifier(table)}`);
      const row = rowsOf<{ n: number; v: string }>(r)[0]!;
      parts.push(`${table}:${row.n}:${row.v}`);
    }
    return parts.join("|");
  });
}

async function stockOf(restaurantId: string, ingredientId: number, storageId: number) {
  return tenant(restaurantId, async (tx) => {
    const [row] = await tx
      .select({ stock: productDepartments.stock })
      .from(productDepartments)
      .innerJoin(products, eq(products.id, productDepartments.productId))
      .innerJoin(departments, eq(departments.id, productDepartments.departmentId))
      .where(and(eq(products.posterIngredientId, ingredientId), eq(departments.posterStorageId, storageId)));
    return row?.stock ?? null;
  });
}

async function product(restaurantId: string, ingredientId: number) {
  return tenant(restaurantId, async (tx) => (await tx.select().from(products).where(eq(products.posterIngredientId, ingredientId)))[0]);
}

describe(`sync (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    await openTestDatabase();
    sim = createPosterSimulator({ accounts: [], webhooks: { url: null } });
  });
  afterAll(async () => {
    sim.close();
    await closeDatabase();
  });

  it("imports storages, suppliers, categories, ingredients and per-storage stock, and records the run", async () => {
    const { account, restaurantId, client } = await setup();
    const progress: number[] = [];
    const result = await runFullSync({ restaurantId, trigger: "onboarding", client, onProgress: (p) => void progress.push(p.done) });
    const data = account.data;
    // Prepacks (type 2) are made in-house; hidden ones never seen before are not imported.
    const imported = data.ingredients.filter((i) => i.type !== 2 && !i.hidden);
    expect(result.counts.departments.added).toBe(3);
    expect(result.counts.suppliers.added).toBe(data.suppliers.length);
    expect(result.counts.products.added).toBe(imported.length);
    expect(progress.length).toBeGreaterThan(5);

    const rows = await tenant(restaurantId, async (tx) => ({
      depts: await tx.select().from(departments),
      prods: await tx.select().from(products),
      cats: await tx.select().from(categories),
      runs: await tx.select().from(syncRuns),
    }));
    expect(rows.depts.map((d) => d.name).sort()).toEqual(data.storages.map((s) => s.name).sort());
    expect(rows.prods).toHaveLength(imported.length);
    expect(rows.prods.filter((p) => p.isArchived)).toHaveLength(0);
    expect(new Set(rows.prods.map((p) => p.unit))).toEqual(new Set(imported.map((i) => i.unit)));
    const first = imported[0]!;
    expect(rows.prods.find((p) => p.posterIngredientId === first.id)?.costMinor).toBe(first.primeCostMinor);
    expect(rows.cats.length).toBe(data.categories.length);
    expect(rows.runs).toEqual([expect.objectContaining({ id: result.runId, status: "succeeded", trigger: "onboarding", scope: "full", error: null })]);
    expect(rows.runs[0]!.finishedAt).not.toBeNull();

    // Each department holds its own storage's figure, never the total; negative stock is kept.
    let checked = 0;
    for (const storage of data.storages) {
      for (const [ingredientId, scaled] of data.stock.get(storage.id) ?? []) {
        const ing = data.ingredients.find((i) => i.id === ingredientId);
        if (scaled === 0 || ing?.type === 2 || ing?.hidden) continue;
        if (checked++ > 40) break;
        expect(Number(await stockOf(restaurantId, ingredientId, storage.id))).toBeCloseTo(scaled / QTY_SCALE, 3);
      }
    }
    const negative = [...(data.stock.get(1) ?? [])].find(([id, q]) => q < 0 && imported.some((i) => i.id === id));
    if (negative) expect(Number(await stockOf(restaurantId, negative[0], 1))).toBeLessThan(0);
  });

  it("writes nothing to the catalogue when the account did not change", async () => {
    const { restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const before = await catalogueVersions(restaurantId);
    const second = await runFullSync({ restaurantId, trigger: "schedule", client });
    expect(Object.values(second.counts).every((c) => c.added === 0 && c.changed === 0 && c.archived === 0)).toBe(true);
    expect(await catalogueVersions(restaurantId)).toBe(before);
    const runs = await tenant(restaurantId, (tx) => tx.select().from(syncRuns));
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("keeps local data: local products, supplier contacts, par levels, mappings, hidden flags", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const ing = account.data.ingredients.find((i) => i.type === 1 && !i.hidden)!;
    const local = await tenant(restaurantId, async (tx) => {
      const [supplier] = await tx.select().from(suppliers).limit(1);
      await tx.update(suppliers).set({ phone: "+7 999 111-22-33", email: "orders@veg.test", telegram: "@veg", preferredChannel: "telegram" }).where(eq(suppliers.id, supplier!.id));
      const [cat] = await tx.select().from(categories).limit(1);
      await tx.update(categories).set({ defaultSupplierId: supplier!.id }).where(eq(categories.id, cat!.id));
      const [prod] = await tx.select().from(products).where(eq(products.posterIngredientId, ing.id));
      await tx.update(products).set({ supplierId: supplier!.id, lastPriceMinor: 4200 }).where(eq(products.id, prod!.id));
      const [dept] = await tx.select().from(departments).limit(1);
      const [mine] = await tx.insert(products).values({ restaurantId, name: "Домашний лимонад", unit: "l", supplierId: supplier!.id }).returning();
      await tx.insert(productDepartments).values({ restaurantId, productId: mine!.id, departmentId: dept!.id, parLevel: "5" });
      await tx.update(productDepartments).set({ parLevel: "12.5", isHidden: true }).where(eq(productDepartments.productId, prod!.id));
      return { supplierId: supplier!.id, categoryId: cat!.id, productId: prod!.id, mineId: mine!.id };
    });
    sim.edit(login, { op: "renameIngredient", ingredientId: ing.id, name: "Переименовано в Poster" });
    const result = await runFullSync({ restaurantId, trigger: "manual", client });
    expect(result.counts.products.changed).toBe(1);

    await tenant(restaurantId, async (tx) => {
      const [s] = await tx.select().from(suppliers).where(eq(suppliers.id, local.supplierId));
      expect(s).toMatchObject({ phone: "+7 999 111-22-33", email: "orders@veg.test", telegram: "@veg", preferredChannel: "telegram", isArchived: false });
      const [c] = await tx.select().from(categories).where(eq(categories.id, local.categoryId));
      expect(c!.defaultSupplierId).toBe(local.supplierId);
      const [p] = await tx.select().from(products).where(eq(products.id, local.productId));
      expect(p).toMatchObject({ name: "Переименовано в Poster", supplierId: local.supplierId, lastPriceMinor: 4200 });
      const pds = await tx.select().from(productDepartments).where(eq(productDepartments.productId, local.productId));
      expect(pds.length).toBeGreaterThan(0);
      for (const pd of pds) expect(pd).toMatchObject({ parLevel: "12.500", isHidden: true });
      const [mine] = await tx.select().from(products).where(isNull(products.posterIngredientId));
      expect(mine).toMatchObject({ id: local.mineId, name: "Домашний лимонад", isArchived: false });
    });
  });

  it("archives what Poster deletes or hides and brings it back when restored", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const [a, b] = account.data.ingredients.filter((i) => i.type === 1 && !i.hidden);
    const supplier = account.data.suppliers[0]!;
    sim.edit(login, { op: "deleteIngredient", ingredientId: a!.id });
    sim.edit(login, { op: "hideIngredient", ingredientId: b!.id });
    sim.edit(login, { op: "deleteSupplier", supplierId: supplier.id });
    sim.edit(login, { op: "deleteStorage", storageId: 3 });
    const removed = await runFullSync({ restaurantId, trigger: "manual", client });
    expect(removed.counts.products.archived).toBe(2);
    expect(removed.counts.suppliers.archived).toBe(1);
    expect(removed.counts.departments.archived).toBe(1);
    expect((await product(restaurantId, a!.id))?.isArchived).toBe(true);
    expect((await product(restaurantId, b!.id))?.isArchived).toBe(true);
    const after = await tenant(restaurantId, async (tx) => ({
      supplier: (await tx.select().from(suppliers).where(eq(suppliers.posterSupplierId, supplier.id)))[0],
      dept: (await tx.select().from(departments).where(eq(departments.posterStorageId, 3)))[0],
    }));
    expect(after.supplier?.isArchived).toBe(true);
    expect(after.dept?.isArchived).toBe(true);

    sim.edit(login, { op: "restoreIngredient", ingredientId: a!.id });
    sim.edit(login, { op: "unhideIngredient", ingredientId: b!.id });
    const restored = await runFullSync({ restaurantId, trigger: "manual", client });
    expect(restored.counts.products.changed).toBe(2);
    expect((await product(restaurantId, a!.id))?.isArchived).toBe(false);
    expect((await product(restaurantId, b!.id))?.isArchived).toBe(false);
  });

  it("takes each storage's own stock, keeps products at zero or below in their department", async () => {
    const { login, account, restaurantId, client } = await setup();
    const ing = account.data.ingredients.find((i) => i.type === 1)!;
    sim.edit(login, { op: "setStock", storageId: 1, ingredientId: ing.id, quantity: 4 });
    sim.edit(login, { op: "setStock", storageId: 2, ingredientId: ing.id, quantity: "7.25" });
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    expect(await stockOf(restaurantId, ing.id, 1)).toBe("4.000");
    expect(await stockOf(restaurantId, ing.id, 2)).toBe("7.250");

    sim.edit(login, { op: "setStock", storageId: 1, ingredientId: ing.id, quantity: 0 });
    sim.edit(login, { op: "setStock", storageId: 2, ingredientId: ing.id, quantity: "-1.5" });
    const result = await runFullSync({ restaurantId, trigger: "schedule", client });
    expect(result.counts.stock.changed).toBe(2);
    expect(await stockOf(restaurantId, ing.id, 1)).toBe("0.000");
    expect(await stockOf(restaurantId, ing.id, 2)).toBe("-1.500");
  });

  it("keeps two restaurants with identical Poster ids apart", async () => {
    const one = await setup();
    const two = await setup();
    await runFullSync({ restaurantId: one.restaurantId, trigger: "onboarding", client: one.client });
    await runFullSync({ restaurantId: two.restaurantId, trigger: "onboarding", client: two.client });
    const first = (id: string) => product(id, 1);
    const [p1, p2] = [await first(one.restaurantId), await first(two.restaurantId)];
    expect(p1!.name).toBe(one.account.data.ingredients[0]!.name);
    expect(p2!.name).toBe(two.account.data.ingredients[0]!.name);
    expect(p1!.id).not.toBe(p2!.id);

    sim.edit(one.login, { op: "renameIngredient", ingredientId: 1, name: "Только у первого" });
    await runFullSync({ restaurantId: one.restaurantId, trigger: "manual", client: one.client });
    const again = await runFullSync({ restaurantId: two.restaurantId, trigger: "manual", client: two.client });
    expect(again.counts.products.changed).toBe(0);
    expect((await first(one.restaurantId))!.name).toBe("Только у первого");
    expect((await first(two.restaurantId))!.name).toBe(two.account.data.ingredients[0]!.name);
  });

  it("leaves the previous state and records a failed run when Poster fails mid-fetch", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const before = await catalogueVersions(restaurantId);
    sim.edit(login, { op: "renameIngredient", ingredientId: account.data.ingredients[0]!.id, name: "Не должно примениться" });
    let leftoverCalls = 0;
    const failing: PosterClient = {
      ...client,
      getStorageLeftovers: (q, o) => {
        if (++leftoverCalls === 3) return Promise.reject(new Error("connection reset on the third storage"));
        return client.getStorageLeftovers(q, o);
      },
    };
    const error = await runFullSync({ restaurantId, trigger: "manual", client: failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncFailedError);
    expect(await catalogueVersions(restaurantId)).toBe(before);
    const runs = await tenant(restaurantId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.status, "failed")));
    expect(runs).toEqual([expect.objectContaining({ id: (error as SyncFailedError).runId, trigger: "manual", error: expect.stringContaining("third storage") })]);
    expect(runs[0]!.finishedAt).not.toBeNull();
  });

  it("rolls back everything already applied when the apply fails part-way", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const before = await catalogueVersions(restaurantId);
    sim.edit(login, { op: "deleteSupplier", supplierId: account.data.suppliers[0]!.id });
    sim.edit(login, { op: "deleteStorage", storageId: 2 });
    const error = await runFullSync({
      restaurantId,
      trigger: "manual",
      client,
      onProgress: (p) => {
        if (p.label === "apply:categories") throw new Error("injected failure after suppliers were written");
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncFailedError);
    // Departments and suppliers were written inside the transaction before the failure: all rolled back.
    expect(await catalogueVersions(restaurantId)).toBe(before);
    const [failed] = await tenant(restaurantId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.status, "failed")));
    expect(failed?.error).toContain("injected failure");
    expect(failed?.counts).toBeNull();
  });

  it("syncs one ingredient, one storage's stock and the suppliers on their own", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const ing = account.data.ingredients.find((i) => i.type === 1 && !i.hidden)!;
    const other = account.data.ingredients.find((i) => i.type === 1 && !i.hidden && i.id !== ing.id)!;
    sim.edit(login, { op: "renameIngredient", ingredientId: ing.id, name: "Целевое" });
    sim.edit(login, { op: "renameIngredient", ingredientId: other.id, name: "Не целевое" });
    sim.edit(login, { op: "setStock", storageId: 2, ingredientId: ing.id, quantity: 33 });
    const one = await runTargetedSync({ restaurantId, trigger: "webhook", client, target: { kind: "ingredient", posterId: ing.id } });
    expect(one.scope).toBe(`ingredient:${ing.id}`);
    expect(one.counts.products.changed).toBe(1);
    expect((await product(restaurantId, ing.id))!.name).toBe("Целевое");
    expect((await product(restaurantId, other.id))!.name).not.toBe("Не целевое");
    expect(await stockOf(restaurantId, ing.id, 2)).toBe("33.000");

    sim.edit(login, { op: "setStock", storageId: 1, ingredientId: other.id, quantity: 2 });
    sim.edit(login, { op: "setStock", storageId: 1, ingredientId: ing.id, quantity: 3 });
    const stock = await runTargetedSync({ restaurantId, trigger: "webhook", client, target: { kind: "stock", storagePosterId: 1, ingredientPosterId: other.id } });
    expect(stock.counts.stock.added + stock.counts.stock.changed).toBe(1);
    expect(await stockOf(restaurantId, other.id, 1)).toBe("2.000");
    expect(await stockOf(restaurantId, ing.id, 1)).not.toBe("3.000");

    sim.edit(login, { op: "addSupplier", name: "Новый поставщик" });
    const sup = await runTargetedSync({ restaurantId, trigger: "webhook", client, target: { kind: "suppliers" } });
    expect(sup.counts.suppliers.added).toBe(1);
  });

  it("completes a sync of an account that sends every odd value: the bad rows are counted and named, not fatal", async () => {
    const { login, account, restaurantId, client } = await setup();
    await runFullSync({ restaurantId, trigger: "onboarding", client });
    const data = account.data;
    // Ingredient 2 comes back unreadable (limit_value "n/a"), ingredient 1's per-storage figure too ("—").
    sim.edit(login, { op: "renameIngredient", ingredientId: 2, name: "Не прочитается" });
    sim.edit(login, { op: "setStock", storageId: 1, ingredientId: 1, quantity: 999 });
    // Gone from Poster's list altogether (not flagged deleted): normally archived for being absent.
    const gone = data.ingredients.find((i) => i.id > 10 && i.type === 1 && !i.hidden)!;
    data.ingredients.splice(data.ingredients.indexOf(gone), 1);
    const changed = data.ingredients.find((i) => i.id > 10 && i.id !== gone.id && i.type === 1 && !i.hidden && (data.stock.get(2)?.get(i.id) ?? 0) > 0)!;
    sim.edit(login, { op: "setStock", storageId: 2, ingredientId: changed.id, quantity: "0.00001" });
    const before = { two: await product(restaurantId, 2), stock1: await stockOf(restaurantId, 1, 1) };
    sim.setFaults(login, { oddValues: true });

    const result = await runFullSync({ restaurantId, trigger: "schedule", client });
    expect(result.counts.products.skipped).toBe(2); // ingredient 2 and an id-less row
    expect(result.counts.stock.skipped).toBe(SIZE.storages); // ingredient 1 in every storage
    expect(result.counts.suppliers.skipped).toBe(1); // a `null` row
    expect(result.counts.departments.skipped + result.counts.categories.skipped).toBe(0);
    expect(result.skippedReasons).toHaveLength(5);
    expect(result.skippedReasons).toContain('menu.getIngredients row 2 (id 2): limit_value: not a decimal: "n/a"');
    expect(result.skippedReasons.join("\n")).toMatch(/storage\.getSuppliers row \d+: not an object: null \(nothing archived from this list\)/);

    const [run] = await tenant(restaurantId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.id, result.runId)));
    expect(run).toMatchObject({ status: "succeeded", error: null, skippedReasons: result.skippedReasons });
    expect(run!.counts).toMatchObject({ products: { skipped: 2 }, stock: { skipped: SIZE.storages }, suppliers: { skipped: 1 } });

    // The unreadable rows are left as they were; an id-less row keeps the list from archiving anything.
    expect(await product(restaurantId, 2)).toMatchObject({ name: before.two!.name, isArchived: before.two!.isArchived });
    expect(await stockOf(restaurantId, 1, 1)).toBe(before.stock1);
    expect((await product(restaurantId, gone.id))!.isArchived).toBe(false);
    // Everything else was read through the nulls, blanks and exponents.
    expect(await stockOf(restaurantId, changed.id, 2)).toBe("0.000");
    let checked = 0;
    for (const storage of data.storages) {
      for (const [ingredientId, scaled] of [...(data.stock.get(storage.id) ?? [])].slice(1, 30)) {
        const ing = data.ingredients.find((i) => i.id === ingredientId);
        if (!ing || ing.type === 2 || ing.hidden || ingredientId === 2 || scaled === 0) continue;
        expect(Number(await stockOf(restaurantId, ingredientId, storage.id))).toBeCloseTo(scaled / QTY_SCALE, 3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);

    // Once Poster sends them readable again, they are applied as usual.
    sim.setFaults(login, { oddValues: false });
    const clean = await runFullSync({ restaurantId, trigger: "schedule", client });
    expect(Object.values(clean.counts).every((c) => c.skipped === 0)).toBe(true);
    expect(clean.skippedReasons).toEqual([]);
    expect((await product(restaurantId, 2))!.name).toBe("Не прочитается");
    expect(await stockOf(restaurantId, 1, 1)).toBe("999.000");
    expect((await product(restaurantId, gone.id))!.isArchived).toBe(true);
  });

  it("a first sync of an odd account imports every readable row", async () => {
    const { login, account, restaurantId, client } = await setup();
    sim.setFaults(login, { oddValues: true });
    const result = await runFullSync({ restaurantId, trigger: "onboarding", client });
    const importable = account.data.ingredients.filter((i) => i.type !== 2 && !i.hidden && i.id !== 2);
    expect(result.counts.products.added).toBe(importable.length);
    expect(result.counts.suppliers.added).toBe(account.data.suppliers.length);
    expect(await product(restaurantId, 2)).toBeUndefined();
  });

  it("refreshes name, currency, timezone and language from the account settings on every full sync, and records the change", async () => {
    const account = sim.createAccount({ size: SIZE, companyName: "Кофейня", currency: "RUB", timezone: "Europe/Moscow", lang: "ru" });
    const info = account.info();
    const restaurant = await createRestaurant({ name: "Кофейня", currency: "RUB", timezone: "Europe/Moscow", locale: "ru" });
    const client = createPosterClient({ baseUrl: "http://poster.test", accountNumber: info.accountNumber, token: info.token, fetch: sim.fetch, limiter: noLimiter, retry: { retries: 0 } });
    const first = await runFullSync({ restaurantId: restaurant.id, trigger: "onboarding", client });
    expect(first.settingsChanges).toEqual({});

    Object.assign(account.profile, { companyName: "Кофейня на углу", timezone: "Asia/Almaty", lang: "en", currency: CURRENCIES.KZT });
    const second = await runFullSync({ restaurantId: restaurant.id, trigger: "schedule", client });
    expect(second.settingsChanges).toEqual({
      name: { from: "Кофейня", to: "Кофейня на углу" },
      currency: { from: "RUB", to: "KZT" },
      timezone: { from: "Europe/Moscow", to: "Asia/Almaty" },
      locale: { from: "ru", to: "en" },
    });
    const row = await tenant(restaurant.id, async (tx) => (await tx.select().from(restaurants))[0]);
    expect(row).toMatchObject({ name: "Кофейня на углу", currency: "KZT", timezone: "Asia/Almaty", locale: "en" });
    const runs = await tenant(restaurant.id, (tx) => tx.select().from(syncRuns).orderBy(syncRuns.startedAt));
    expect(runs.map((r) => r.settingsChanges)).toEqual([null, second.settingsChanges]);

    // Nothing new: nothing recorded. A value Poster leaves empty or sends unusable keeps ours.
    Object.assign(account.profile, { companyName: "", timezone: "Mars/Olympus" });
    const third = await runFullSync({ restaurantId: restaurant.id, trigger: "schedule", client });
    expect(third.settingsChanges).toEqual({});
    // A targeted sync does not read the settings.
    Object.assign(account.profile, { companyName: "Другое имя" });
    await runTargetedSync({ restaurantId: restaurant.id, trigger: "webhook", client, target: { kind: "suppliers" } });
    expect((await tenant(restaurant.id, async (tx) => (await tx.select().from(restaurants))[0]))?.name).toBe("Кофейня на углу");
  });

  it("refuses a restaurant whose connection needs reconnecting, without recording a run", async () => {
    const { restaurantId, client } = await setup();
    await tenant(restaurantId, (tx) => tx.insert(posterConnections).values({ restaurantId, accountNumber: "1", accountLogin: "x", status: "needs_reconnect" }));
    await expect(runFullSync({ restaurantId, trigger: "schedule", client })).rejects.toBeInstanceOf(PosterNotConnectedError);
    expect(await tenant(restaurantId, (tx) => tx.select().from(syncRuns))).toHaveLength(0);
  });
});
