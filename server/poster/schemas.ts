import { z } from "zod";
import { normalizeDecimal } from "./decimal";
import { majorToMinor } from "./money";

/**
 * Zod schemas for Poster responses. Poster sends ids, flags and decimals as strings, but not
 * consistently (some numbers, some nulls), so every scalar is coerced instead of type-checked.
 * Outputs are domain objects: ids as numbers, flags as booleans, quantities as normalized decimal
 * strings ("12.5", exact for Postgres numeric), money as integer minor units.
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const zId = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: "custom", message: `not an id: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});

/** "0"/"1" (also 0/1/true/false/null) → boolean. */
export const zFlag = scalar.optional().transform((v) => v === true || v === 1 || v === "1" || v === "true");

export const zText = scalar.optional().transform((v) => (v === null || v === undefined || v === false ? "" : String(v)));

export const zDecimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = normalizeDecimal(v);
  if (d === null) {
    ctx.addIssue({ code: "custom", message: `not a decimal: ${String(v)}` });
    return z.NEVER;
  }
  return d;
});

/** Minor units (kopecks) as Poster's read endpoints send them: "12050" or 12050. */
export const zMinor = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(typeof v === "string" ? v.replace(",", ".") : v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `not an amount: ${String(v)}` });
    return z.NEVER;
  }
  return Math.round(n);
});

/** Major units ("6698828.90", getSupply only) → minor units, exactly. */
export const zMajorAsMinor = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return majorToMinor(v);
  } catch {
    ctx.addIssue({ code: "custom", message: `not an amount: ${String(v)}` });
    return z.NEVER;
  }
});

const zNumber = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `not a number: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});

/** "0" means "no category" in Poster. */
const zOptionalRef = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => {
  const n = Number(v ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
});

/** Poster units: kg, l, p (pieces). Unknown units are passed through rather than failing a sync. */
export type PosterUnit = "kg" | "l" | "p";

export const settingsSchema = z
  .object({
    COMPANY_ID: zText,
    company_name: zText,
    timezones: zText,
    lang: zText,
    email: zText,
    name: zText,
    currency: z
      .object({ currency_code_iso: zText, currency_symbol: zText, currency_name: zText, currency_code: zText })
      .nullish(),
  })
  .transform((s) => ({
    login: s.COMPANY_ID,
    companyName: s.company_name,
    /** IANA timezone of the account, e.g. "Europe/Moscow". */
    timezone: s.timezones,
    lang: s.lang,
    currency: {
      iso: s.currency?.currency_code_iso ?? "",
      symbol: s.currency?.currency_symbol ?? "",
      name: s.currency?.currency_name ?? "",
      code: s.currency?.currency_code ?? "",
    },
    ownerEmail: s.email,
    ownerName: s.name,
  }));
export type PosterSettings = z.output<typeof settingsSchema>;

export const spotSchema = z
  .object({
    spot_id: zId,
    spot_name: zText,
    name: zText,
    spot_adress: zText,
    storages: z.array(z.object({ storage_id: zId, storage_name: zText, storage_adress: zText })).nullish(),
  })
  .transform((s) => ({
    id: s.spot_id,
    name: s.spot_name || s.name,
    address: s.spot_adress,
    storages: (s.storages ?? []).map((x) => ({ id: x.storage_id, name: x.storage_name, address: x.storage_adress })),
  }));
export type PosterSpot = z.output<typeof spotSchema>;

export const storageSchema = z
  .object({ storage_id: zId, storage_name: zText, storage_adress: zText, storage_address: zText, delete: zFlag })
  .transform((s) => ({ id: s.storage_id, name: s.storage_name, address: s.storage_adress || s.storage_address, deleted: s.delete }));
export type PosterStorage = z.output<typeof storageSchema>;

export const supplierSchema = z
  .object({
    supplier_id: zId,
    supplier_name: zText,
    supplier_phone: zText,
    supplier_adress: zText,
    supplier_address: zText,
    supplier_comment: zText,
    supplier_code: zText,
    supplier_tin: zText,
    delete: zFlag,
  })
  .transform((s) => ({
    id: s.supplier_id,
    name: s.supplier_name,
    phone: s.supplier_phone,
    // Poster spells it "adress"; accept the correct spelling too.
    address: s.supplier_adress || s.supplier_address,
    comment: s.supplier_comment,
    code: s.supplier_code,
    tin: s.supplier_tin,
    deleted: s.delete,
  }));
export type PosterSupplier = z.output<typeof supplierSchema>;

export const ingredientCategorySchema = z
  .object({ category_id: zId, name: zText, category_name: zText })
  // The doc table says category_name, live accounts send name.
  .transform((c) => ({ id: c.category_id, name: c.name || c.category_name }));
export type PosterIngredientCategory = z.output<typeof ingredientCategorySchema>;

export const ingredientSchema = z
  .object({
    ingredient_id: zId,
    ingredient_name: zText,
    ingredient_barcode: zText,
    category_id: zOptionalRef,
    ingredient_left: zDecimal.optional(),
    limit_value: zDecimal.optional(),
    ingredient_unit: zText,
    ingredient_weight: zNumber.optional(),
    ingredients_type: zNumber.optional(),
    delete: zFlag,
    hidden: zFlag,
  })
  .transform((i) => ({
    id: i.ingredient_id,
    name: i.ingredient_name,
    barcode: i.ingredient_barcode,
    categoryId: i.category_id,
    unit: i.ingredient_unit as PosterUnit | (string & {}),
    /** Stock summed over all storages (decimal string). */
    totalLeft: i.ingredient_left ?? "0",
    limitValue: i.limit_value ?? "0",
    weight: i.ingredient_weight ?? 0,
    /** 1 ingredient, 2 system ingredient (prepack). */
    type: i.ingredients_type ?? 1,
    hidden: i.hidden,
    deleted: i.delete,
  }));
export type PosterIngredient = z.output<typeof ingredientSchema>;

export const leftoverSchema = z
  .object({
    ingredient_id: zId,
    ingredient_name: zText,
    ingredient_left: zDecimal.optional(),
    storage_ingredient_left: zDecimal.optional(),
    limit_value: zDecimal.optional(),
    ingredient_unit: zText,
    ingredients_type: zNumber.optional(),
    storage_ingredient_sum: zMinor.optional(),
    prime_cost: zMinor.nullish(),
    hidden: zFlag,
  })
  .transform((l) => ({
    ingredientId: l.ingredient_id,
    name: l.ingredient_name,
    unit: l.ingredient_unit as PosterUnit | (string & {}),
    /** All storages together, even when a storage was requested. */
    totalLeft: l.ingredient_left ?? "0",
    /** This storage's quantity (may be negative); null when no storage_id was requested. */
    storageLeft: l.storage_ingredient_left ?? null,
    limitValue: l.limit_value ?? "0",
    type: l.ingredients_type ?? 1,
    sumMinor: l.storage_ingredient_sum ?? 0,
    /** Unit food cost in minor units. */
    primeCostMinor: l.prime_cost ?? null,
    hidden: l.hidden,
  }));
export type PosterLeftover = z.output<typeof leftoverSchema>;

export const supplySummarySchema = z
  .object({
    supply_id: zId,
    storage_id: zId,
    supplier_id: zId,
    date: zText,
    supply_sum: zMinor,
    supply_comment: zText,
    storage_name: zText,
    supplier_name: zText,
    delete: zFlag,
    account_id: scalar.optional(),
  })
  .transform((s) => ({
    id: s.supply_id,
    storageId: s.storage_id,
    supplierId: s.supplier_id,
    /** "Y-m-d H:i:s", account local time. */
    date: s.date,
    sumMinor: s.supply_sum,
    comment: s.supply_comment,
    storageName: s.storage_name,
    supplierName: s.supplier_name,
    deleted: s.delete,
    accountId: s.account_id === null || s.account_id === undefined || s.account_id === "" ? null : String(s.account_id),
  }));
export type PosterSupplySummary = z.output<typeof supplySummarySchema>;

/** getSupply prints money in MAJOR units (unlike getSupplies); converted back to minor here. */
export const supplySchema = z
  .object({
    supply_id: zId,
    storage_id: zId,
    supplier_id: zId,
    date: zText,
    supply_sum: zMajorAsMinor,
    supply_comment: zText,
    supplier_name: zText,
    account_id: scalar.optional(),
    ingredients: z
      .array(
        z.object({
          ingredient_id: zId,
          supply_ingredient_num: zDecimal,
          supply_ingredient_sum: zMajorAsMinor,
          ingredient_name: zText,
          ingredient_unit: zText,
          type: zNumber.optional(),
          ing_delete: zFlag,
        }),
      )
      .nullish(),
  })
  .transform((s) => ({
    id: s.supply_id,
    storageId: s.storage_id,
    supplierId: s.supplier_id,
    date: s.date,
    sumMinor: s.supply_sum,
    comment: s.supply_comment,
    supplierName: s.supplier_name,
    accountId: s.account_id === null || s.account_id === undefined || s.account_id === "" ? null : String(s.account_id),
    lines: (s.ingredients ?? []).map((l) => ({
      ingredientId: l.ingredient_id,
      num: l.supply_ingredient_num,
      /** Line total in minor units. */
      sumMinor: l.supply_ingredient_sum,
      name: l.ingredient_name,
      unit: l.ingredient_unit as PosterUnit | (string & {}),
      /** 1 ingredient, 2 product, 3 modifier, 4 dish, 5 prepack. */
      type: l.type ?? 1,
      deleted: l.ing_delete,
    })),
  }));
export type PosterSupply = z.output<typeof supplySchema>;

/** createSupply answers {"success":1,"response":7}; some write methods send the id as a string. */
export const createdIdSchema = zId;
