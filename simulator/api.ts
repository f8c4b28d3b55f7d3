import { majorToMinor } from "@/server/poster/money";
import { SimError, type SimAccount } from "./account";
import type { Params } from "./body";
import { flag, fmtMajor, fmtMinor, fmtQty, lineTotalMinor, parseQtyScaled } from "./format";
import { extrasOf, getCategories, getPrepacks, getProduct, getProducts } from "./menu-api";
import { oddIngredients, oddLeftovers, oddStorages, oddSuppliers } from "./odd";
import type { SimIngredient, SimStorage, SimSupply, SimSupplyLine } from "./types";

/**
 * A method's success payload: `{"response": ...}`, plus `success: 1` for the write methods that have it
 * (storage.deleteSupply answers `{"success": 1}` alone).
 */
export type MethodResult = { response: unknown; success?: 1 } | { success: 1 };
type Handler = (account: SimAccount, params: Params, ctx: { now: number }) => MethodResult;

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
const intParam = (v: unknown): number | undefined => {
  const s = str(v);
  if (s === undefined || !/^\d+$/.test(s.trim())) return undefined;
  return Number(s);
};
const truthy = (v: unknown) => v === true || v === 1 || v === "1" || v === "true";

function settings(a: SimAccount): MethodResult {
  const p = a.profile;
  return {
    response: {
      COMPANY_ID: p.login,
      company_name: p.companyName,
      company_type: 1,
      FIZ_ADRESS_CITY: p.owner.city,
      FIZ_ADRESS_PHONE: p.owner.phone,
      uses_tables: 1, uses_cash_shifts: 1, uses_taxes: 0, uses_multiprice: 0, uses_bookkeeping: 1,
      uses_ipay: 0, uses_manufacturing: 1, uses_quick_waiter: 0, uses_fiscality: 0, print_fiscal_by_default: 0,
      tip_amount: 10,
      timezones: p.timezone,
      logo: "",
      lang: p.lang,
      pos_phone: p.owner.phone,
      analytics_plus_time: 0,
      currency: p.currency,
      email: p.owner.email,
      name: p.owner.name,
      // [OFFEX] what application.setEntityExtras wrote for the "settings" entity.
      ...(extrasOf(a, "settings", null) ? { extras: extrasOf(a, "settings", null) } : {}),
    },
  };
}

function leftovers(a: SimAccount, params: Params): MethodResult {
  const storageId = intParam(params.storage_id);
  const categoryId = intParam(params.category_id);
  const type = intParam(params.type);
  const withZero = truthy(params.zero_leftovers);
  const storage = storageId === undefined ? undefined : a.data.storages.find((s) => s.id === storageId);
  if (storageId !== undefined && !storage) throw new SimError(32, "Storage does not exist");
  // The simulator only has ingredients (type 1); other entity filters return nothing.
  if (type !== undefined && type !== 1) return { response: [] };
  const rows: Record<string, unknown>[] = [];
  for (const ing of a.data.ingredients) {
    if (ing.deleted) continue;
    if (categoryId !== undefined && ing.categoryId !== categoryId) continue;
    const total = a.totalStockScaled(ing.id);
    const own = storage ? (a.data.stock.get(storage.id)?.get(ing.id) ?? 0) : total;
    if (own === 0 && !withZero) continue;
    const sumMinor = Math.max(0, lineTotalMinor(own, ing.primeCostMinor));
    rows.push({
      ingredient_id: String(ing.id),
      ingredient_name: ing.name,
      ingredient_left: fmtQty(total),
      ...(storage ? { storage_ingredient_left: fmtQty(own) } : {}),
      limit_value: String(ing.limitValue),
      ingredient_unit: ing.unit,
      ingredients_type: "1",
      storage_ingredient_sum: fmtMinor(sumMinor),
      storage_ingredient_sum_netto: fmtMinor(Math.round(sumMinor / 1.2)),
      // Numbers, as in the doc table (live accounts were seen sending strings; clients coerce).
      prime_cost: ing.primeCostMinor,
      prime_cost_netto: Math.round(ing.primeCostMinor / 1.2),
      hidden: flag(ing.hidden),
    });
  }
  return { response: a.faults.oddValues ? oddLeftovers(rows) : rows };
}

const SUPPLY_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const SUPPLY_LINE_TYPES = new Set([1, 4, 5]);

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

interface SupplyInput { storageId: number; supplierId: number; date: string; comment: string; accountId: string | null; lines: SimSupplyLine[] }

/** The documented nested body of createSupply and updateSupply, checked the way Poster answers (codes 34/36/32/155). */
function readSupply(a: SimAccount, params: Params): SupplyInput {
  const supply = asObject(params.supply);
  if (!supply) {
    // The flat {date, supplier_id, storage_id, ingredients:[...]} form is not Poster's API.
    throw new SimError(34, "Field supply is required");
  }
  const date = str(supply.date);
  if (!date) throw new SimError(34, "Field supply[date] is required");
  if (!SUPPLY_DATE.test(date) || Number.isNaN(Date.parse(date.replace(" ", "T") + "Z"))) throw new SimError(155, "supply[date] must be Y-m-d H:i:s");
  const supplierId = intParam(supply.supplier_id);
  if (supplierId === undefined) throw new SimError(34, "Field supply[supplier_id] is required");
  const storageId = intParam(supply.storage_id);
  if (storageId === undefined) throw new SimError(34, "Field supply[storage_id] is required");
  const supplier = a.data.suppliers.find((s) => s.id === supplierId && !s.deleted);
  if (!supplier) throw new SimError(32, "Supplier does not exist");
  const storage = a.data.storages.find((s) => s.id === storageId && !s.deleted);
  if (!storage) throw new SimError(32, "Storage does not exist");
  if (params.ingredient === undefined) throw new SimError(34, "Field ingredient is required");
  if (!Array.isArray(params.ingredient)) throw new SimError(36, "Variable ingredient must be an array");
  if (params.ingredient.length === 0) throw new SimError(34, "Field ingredient is required");

  const lines: SimSupplyLine[] = [];
  for (const [i, raw] of params.ingredient.entries()) {
    const item = asObject(raw);
    if (!item) throw new SimError(36, `ingredient[${i}] must be an array`);
    const id = intParam(item.id);
    const type = intParam(item.type);
    const numScaled = parseQtyScaled(item.num);
    const sum = str(item.sum);
    if (id === undefined) throw new SimError(34, `Field ingredient[${i}][id] is required`);
    if (type === undefined) throw new SimError(34, `Field ingredient[${i}][type] is required`);
    if (!SUPPLY_LINE_TYPES.has(type)) throw new SimError(155, `ingredient[${i}][type] must be 1, 4 or 5`);
    if (numScaled === null) throw new SimError(34, `Field ingredient[${i}][num] is required`);
    if (numScaled <= 0) throw new SimError(155, `ingredient[${i}][num] must be positive`);
    if (sum === undefined) throw new SimError(34, `Field ingredient[${i}][sum] is required`);
    let unitMinor: number;
    try {
      unitMinor = majorToMinor(sum);
    } catch {
      throw new SimError(155, `ingredient[${i}][sum] must be a number`);
    }
    if (unitMinor < 0) throw new SimError(155, `ingredient[${i}][sum] must not be negative`);
    // The simulator's supplies hold ingredients only: type 1 (product) and 5 (modifier) ids never exist.
    const ing = type === 4 ? a.data.ingredients.find((x) => x.id === id && !x.deleted) : undefined;
    if (!ing) throw new SimError(32, `Element ${id} of type ${type} does not exist`);
    lines.push({ ingredientId: id, type: type as 1 | 4 | 5, numScaled, totalMinor: lineTotalMinor(numScaled, unitMinor) });
  }
  return { storageId, supplierId, date, comment: str(supply.supply_comment) ?? "", accountId: str(supply.account_id) ?? null, lines };
}

/** A supply's lines enter (+1) or leave (-1) its storage's stock, each change with its `stock` hook. */
function moveStock(a: SimAccount, storageId: number, lines: readonly SimSupplyLine[], sign: 1 | -1): void {
  for (const line of lines) {
    const before = a.data.stock.get(storageId)?.get(line.ingredientId) ?? 0;
    a.changeStock(storageId, line.ingredientId, before + sign * line.numScaled);
  }
}

function createSupply(a: SimAccount, params: Params): MethodResult {
  const input = readSupply(a, params);
  const id = Math.max(0, ...a.data.supplies.map((s) => s.id)) + 1;
  a.data.supplies.push({ id, ...input, deleted: false });
  a.event("supply", id, "added");
  moveStock(a, input.storageId, input.lines, 1);
  return { success: 1, response: id };
}

/** storage.updateSupply: the same body plus supply_id; the old lines leave their storage, the new ones enter. */
function updateSupply(a: SimAccount, params: Params): MethodResult {
  const id = intParam(asObject(params.supply)?.supply_id ?? params.supply_id);
  if (id === undefined) throw new SimError(34, "Field supply[supply_id] is required");
  const record = a.data.supplies.find((s) => s.id === id && !s.deleted);
  if (!record) throw new SimError(32, "Supply does not exist");
  const input = readSupply(a, params);
  moveStock(a, record.storageId, record.lines, -1);
  Object.assign(record, input);
  a.event("supply", id, "changed");
  moveStock(a, record.storageId, record.lines, 1);
  // The doc prints the id as a string here (createSupply: a number).
  return { success: 1, response: String(id) };
}

/** storage.deleteSupply: the supply is kept with delete "1" (as getSupplies lists it), its stock leaves. */
function deleteSupply(a: SimAccount, params: Params): MethodResult {
  const id = intParam(params.supply_id);
  if (id === undefined) throw new SimError(34, "Field supply_id is required");
  const record = a.data.supplies.find((s) => s.id === id && !s.deleted);
  if (!record) throw new SimError(32, "Supply does not exist");
  record.deleted = true;
  a.event("supply", id, "removed");
  moveStock(a, record.storageId, record.lines, -1);
  return { success: 1 };
}

const supplySum = (s: SimSupply) => s.lines.reduce((acc, l) => acc + l.totalMinor, 0);

/** "20260211" → "2026-02-11 00:00:00"-comparable prefix. */
function ymdToDate(v: unknown): string | undefined {
  const s = str(v);
  if (!s || !/^\d{8}$/.test(s)) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function localYmd(now: number, timeZone: string, daysBack = 0): string {
  const d = new Date(now - daysBack * 86_400_000);
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(d)) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}`;
}

function getSupplies(a: SimAccount, params: Params, ctx: { now: number }): MethodResult {
  const from = ymdToDate(params.dateFrom);
  const to = ymdToDate(params.dateTo);
  const limit = intParam(params.limit);
  const offset = intParam(params.offset) ?? 0;
  let list = [...a.data.supplies].sort((x, y) => (x.date === y.date ? y.id - x.id : x.date < y.date ? 1 : -1));
  if (from || to || limit === undefined) {
    // Dates win over limit/offset; without either, Poster defaults to the last month.
    const lo = from ?? localYmd(ctx.now, a.profile.timezone, 30);
    const hi = to ?? localYmd(ctx.now, a.profile.timezone);
    list = list.filter((s) => s.date.slice(0, 10) >= lo && s.date.slice(0, 10) <= hi);
  } else {
    list = list.slice(offset, offset + limit);
  }
  return {
    response: list.map((s) => {
      const storage = a.data.storages.find((x) => x.id === s.storageId);
      const supplier = a.data.suppliers.find((x) => x.id === s.supplierId);
      const sum = supplySum(s);
      return {
        supply_id: String(s.id),
        storage_id: String(s.storageId),
        supplier_id: String(s.supplierId),
        date: s.date,
        supply_sum: fmtMinor(sum),
        supply_sum_netto: fmtMinor(sum),
        supply_comment: s.comment,
        storage_name: storage?.name ?? "",
        supplier_name: supplier?.name ?? "",
        delete: flag(s.deleted),
        account_id: s.accountId,
      };
    }),
  };
}

function findSupply(a: SimAccount, params: Params): SimSupply {
  const id = intParam(params.supply_id);
  if (id === undefined) throw new SimError(34, "Field supply_id is required");
  const s = a.data.supplies.find((x) => x.id === id);
  if (!s) throw new SimError(32, "Supply does not exist");
  return s;
}

/** getSupply prints money in MAJOR units, unlike every list endpoint (a documented trap). */
function getSupply(a: SimAccount, params: Params): MethodResult {
  const s = findSupply(a, params);
  return {
    response: {
      supply_id: String(s.id),
      in_inventory: "0",
      storage_id: String(s.storageId),
      supplier_id: String(s.supplierId),
      account_id: s.accountId,
      date: s.date,
      supply_sum: fmtMajor(supplySum(s)),
      supply_comment: s.comment,
      supplier_name: a.data.suppliers.find((x) => x.id === s.supplierId)?.name ?? "",
      ingredients: s.lines.map((l) => {
        const ing = a.data.ingredients.find((x) => x.id === l.ingredientId);
        return {
          ingredient_id: String(l.ingredientId),
          product_id: "0",
          supply_ingredient_num: fmtQty(l.numScaled),
          supply_ingredient_sum: fmtMajor(l.totalMinor),
          ingredient_name: ing?.name ?? "",
          ingredient_unit: ing?.unit ?? "kg",
          pack_id: "0",
          type: 1,
          ing_delete: flag(ing?.deleted ?? false),
          tax_id: "0",
        };
      }),
    },
  };
}

function getSupplyIngredients(a: SimAccount, params: Params): MethodResult {
  const s = findSupply(a, params);
  return {
    response: s.lines.map((l) => {
      const ing = a.data.ingredients.find((x) => x.id === l.ingredientId);
      return {
        ingredient_id: String(l.ingredientId),
        supply_ingredient_num: fmtQty(l.numScaled),
        supply_ingredient_sum: fmtMinor(l.totalMinor),
        supply_ingredient_sum_netto: fmtMinor(l.totalMinor),
        ingredient_name: ing?.name ?? "",
        ingredient_unit: ing?.unit ?? "kg",
        tax_id: 0,
      };
    }),
  };
}

function storageRow(s: SimStorage) {
  return { storage_id: String(s.id), storage_name: s.name, storage_adress: s.address, delete: flag(s.deleted) };
}

function ingredientRow(a: SimAccount, i: SimIngredient) {
  return {
    ingredient_id: String(i.id),
    ingredient_name: i.name,
    ingredient_barcode: i.barcode,
    category_id: String(i.categoryId),
    ingredient_left: fmtQty(a.totalStockScaled(i.id)),
    limit_value: String(i.limitValue),
    time_notif: "0",
    ingredient_unit: i.unit,
    ingredient_weight: i.weight,
    ingredients_losses_clear: "0",
    ingredients_losses_cook: "0",
    ingredients_losses_fry: "0",
    ingredients_losses_stew: "0",
    ingredients_losses_bake: "0",
    ingredients_type: String(i.type),
    partial_write_off: "0",
    delete: flag(i.deleted),
    hidden: flag(i.hidden),
  };
}

function requiredId(params: Params, field: string): number {
  const id = intParam(params[field]);
  if (id === undefined) throw new SimError(34, `Field ${field} is required`);
  return id;
}

/** storage.getStorage: one storage, deleted ones included (with delete "1"). */
function getStorage(a: SimAccount, params: Params): MethodResult {
  const id = requiredId(params, "storage_id");
  const storage = a.data.storages.find((s) => s.id === id);
  if (!storage) throw new SimError(32, "Storage does not exist");
  return { response: storageRow(storage) };
}

/** menu.getIngredient: one ingredient as getIngredients lists it, with id_1c when asked (`1c=true`). */
function getIngredient(a: SimAccount, params: Params): MethodResult {
  const id = requiredId(params, "ingredient_id");
  const ing = a.data.ingredients.find((i) => i.id === id);
  if (!ing) throw new SimError(32, "Ingredient does not exist");
  const extras = extrasOf(a, "ingredient", id);
  return { response: { ...ingredientRow(a, ing), ...(truthy(params["1c"]) || truthy(params.id_1c) ? { id_1c: null } : {}), ...(extras ? { extras } : {}) } };
}

/** application.getInfo: who installed the application (the owner) and the account owner; no Poster billing here. */
function applicationInfo(a: SimAccount): MethodResult {
  const o = a.profile.owner;
  return {
    response: {
      user: { id: String(o.userId), name: o.name, access_mask: "2147483647", email: o.email },
      ownerInfo: { email: o.email, phone: o.phone, city: o.city, country: o.country, name: o.name, company_name: a.profile.companyName },
    },
  };
}

const EXTRAS_ENTITIES = new Set(["spot", "tablet", "staff", "clients_group", "product", "ingredient", "menu_category", "ingredients_category", "client", "settings", "transactions"]);

/**
 * application.setEntityExtras: stores `extras` on an entity (merged with what it had); the account's own
 * entities must exist, the ones the simulator does not model (tablets, staff, clients, ...) are taken on trust.
 */
function setEntityExtras(a: SimAccount, params: Params): MethodResult {
  const type = str(params.entity_type);
  if (!type) throw new SimError(34, "Field entity_type is required");
  if (!EXTRAS_ENTITIES.has(type)) throw new SimError(155, "entity_type is not an entity with extras");
  const id = type === "settings" ? null : intParam(params.entity_id);
  if (type !== "settings" && id === undefined) throw new SimError(34, "Field entity_id is required");
  if (params.extras === undefined) throw new SimError(34, "Field extras is required");
  const extras = asObject(params.extras);
  if (!extras) throw new SimError(36, "Variable extras must be an array");
  const exists: Record<string, (n: number) => boolean> = {
    spot: (n) => a.data.spots.some((x) => x.id === n),
    product: (n) => a.data.menu.products.some((x) => x.id === n),
    ingredient: (n) => a.data.ingredients.some((x) => x.id === n),
    menu_category: (n) => a.data.menu.categories.some((x) => x.id === n),
    ingredients_category: (n) => a.data.categories.some((x) => x.id === n),
  };
  if (id !== null && id !== undefined && exists[type] && !exists[type](id)) throw new SimError(32, `${type} ${id} does not exist`);
  const key = `${type}:${id ?? ""}`;
  a.extras.set(key, { ...a.extras.get(key), ...extras });
  return { response: true };
}

/** Method names are case-sensitive, as in Poster. */
export const METHODS: Record<string, { handler: Handler; write?: boolean }> = {
  "settings.getAllSettings": { handler: settings },
  "settings.getTimeZones": { handler: (a) => ({ response: { value: a.profile.timezone } }) },
  "access.getSpots": {
    handler: (a) => ({
      response: a.data.spots.map((spot) => ({
        spot_id: String(spot.id),
        spot_name: spot.name,
        spot_adress: spot.address,
        id_1c: null,
        storages: spot.storageIds.flatMap((id) => {
          const s = a.data.storages.find((x) => x.id === id && !x.deleted);
          return s ? [{ storage_id: s.id, storage_name: s.name, storage_adress: s.address }] : [];
        }),
      })),
    }),
  },
  "storage.getStorages": {
    handler: (a) => {
      const rows = a.data.storages.map(storageRow);
      return { response: a.faults.oddValues ? oddStorages(rows) : rows };
    },
  },
  "storage.getSuppliers": {
    handler: (a) => {
      const rows = a.data.suppliers.map((s) => ({
        supplier_id: String(s.id), supplier_name: s.name, supplier_phone: s.phone, supplier_adress: s.address,
        supplier_comment: s.comment, supplier_code: s.code, supplier_tin: s.tin, delete: flag(s.deleted),
      }));
      return { response: a.faults.oddValues ? oddSuppliers(rows) : rows };
    },
  },
  "menu.getCategoriesIngredients": {
    handler: (a) => ({ response: a.data.categories.map((c) => ({ category_id: String(c.id), name: c.name, id_1c: null })) }),
  },
  "menu.getIngredients": {
    handler: (a) => {
      const rows = a.data.ingredients.map((i) => ingredientRow(a, i));
      return { response: a.faults.oddValues ? oddIngredients(rows) : rows };
    },
  },
  "menu.getIngredient": { handler: getIngredient },
  "menu.getProducts": { handler: getProducts },
  "menu.getProduct": { handler: getProduct },
  "menu.getPrepacks": { handler: getPrepacks },
  "menu.getCategories": { handler: getCategories },
  "storage.getStorage": { handler: getStorage },
  "storage.getStorageLeftovers": { handler: leftovers },
  "storage.createSupply": { handler: createSupply, write: true },
  "storage.updateSupply": { handler: updateSupply, write: true },
  "storage.deleteSupply": { handler: deleteSupply, write: true },
  "storage.getSupplies": { handler: getSupplies },
  "storage.getSupply": { handler: getSupply },
  "storage.getSupplyIngredients": { handler: getSupplyIngredients },
  "application.getInfo": { handler: applicationInfo },
  "application.setEntityExtras": { handler: setEntityExtras, write: true },
};

