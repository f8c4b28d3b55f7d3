import { z } from "zod";
import { normalizeDecimal } from "@/vocabulary/quantity";
import { majorToMinor } from "./money";
import type { PosterUnit } from "@/vocabulary/constants";

/**
 * Zod schemas for Poster responses. Poster sends ids, flags and decimals as strings, but not
 * consistently (some numbers, some nulls), so every scalar is coerced instead of type-checked.
 * Outputs are domain objects: ids as numbers, flags as booleans, quantities as normalized decimal
 * strings ("12.5", exact for Postgres numeric), money as integer minor units.
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Postgres ids are int4: a larger "id" would fail the whole write, so it fails its row here instead. */
const MAX_ID = 2_147_483_647;

/** A value as it may be quoted in a skip reason: short, so a huge or hostile field cannot flood the run record. */
export const shown = (v: unknown): string => {
  const text = typeof v === "string" ? JSON.stringify(v) : String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** null, a missing key or a blank string: an optional field Poster left empty. */
const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** An optional field: blank means absent; anything else must parse (or the row is unreadable). */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (isBlank(v) ? undefined : v), schema.optional());
}

export const zId = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === "string" && v.trim() === "" ? Number.NaN : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ID) {
    ctx.addIssue({ code: "custom", message: `not an id: ${shown(v)}` });
    return z.NEVER;
  }
  return n;
});

/** "0"/"1" (also 0/1/true/false/null) → boolean. */
export const zFlag = scalar.optional().transform((v) => v === true || v === 1 || v === "1" || v === "true");

/** Any scalar as text; NUL bytes dropped (Postgres text refuses them, and one would fail the whole sync). */
export const zText = scalar.optional().transform((v) => (v === null || v === undefined || v === false ? "" : String(v).replaceAll("\u0000", "")));

export const zDecimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = normalizeDecimal(v);
  if (d === null) {
    ctx.addIssue({ code: "custom", message: `not a decimal: ${shown(v)}` });
    return z.NEVER;
  }
  return d;
});

/** Minor units (kopecks) as Poster's read endpoints send them: "12050", 12050, even "1.2E+4". */
export const zMinor = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = normalizeDecimal(v);
  const n = d === null ? Number.NaN : Math.round(Number(d));
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: "custom", message: `not an amount: ${shown(v)}` });
    return z.NEVER;
  }
  return n === 0 ? 0 : n;
});

/** Major units ("6698828.90", getSupply only) → minor units, exactly. */
export const zMajorAsMinor = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return majorToMinor(v);
  } catch {
    ctx.addIssue({ code: "custom", message: `not an amount: ${shown(v)}` });
    return z.NEVER;
  }
});

const zNumber = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = normalizeDecimal(v);
  if (d === null) {
    ctx.addIssue({ code: "custom", message: `not a number: ${shown(v)}` });
    return z.NEVER;
  }
  return Number(d);
});

/** "0", "", null or a missing key mean "no category" in Poster; anything else must be an id. */
const zOptionalRef = z.unknown().transform((v, ctx) => {
  if (isBlank(v) || v === 0 || v === "0") return null;
  const parsed = zId.safeParse(v);
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: `not an id: ${shown(v)}` });
    return z.NEVER;
  }
  return parsed.data;
});

/** An object Poster may also send as `[]` or `""` (PHP's empty array): anything but an object reads as absent. */
function looseObject<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined), schema.optional());
}

/** A nested list that may come as null, `""` or `{}`: anything but an array reads as empty. */
function looseArray<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(schema));
}

/** Poster units: kg, l, p (pieces). Unknown units are passed through rather than failing a sync. */
export type { PosterUnit };

/** A row without a name cannot become a department, supplier, category or product: it is unreadable. */
const named = <T extends { name: string }>(row: T, ctx: z.RefinementCtx) => {
  if (row.name.trim() === "") ctx.addIssue({ code: "custom", message: "no name", path: ["name"] });
};

export const settingsSchema = z
  .object({
    COMPANY_ID: zText,
    company_name: zText,
    timezones: zText,
    lang: zText,
    email: zText,
    name: zText,
    currency: looseObject(z.object({ currency_code_iso: zText, currency_symbol: zText, currency_name: zText, currency_code: zText })),
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
    storages: looseArray(z.object({ storage_id: zId, storage_name: zText, storage_adress: zText })),
  })
  .transform((s) => ({
    id: s.spot_id,
    name: s.spot_name || s.name,
    address: s.spot_adress,
    storages: s.storages.map((x) => ({ id: x.storage_id, name: x.storage_name, address: x.storage_adress })),
  }));
export type PosterSpot = z.output<typeof spotSchema>;

export const storageSchema = z
  .object({ storage_id: zId, storage_name: zText, storage_adress: zText, storage_address: zText, delete: zFlag })
  .transform((s) => ({ id: s.storage_id, name: s.storage_name, address: s.storage_adress || s.storage_address, deleted: s.delete }))
  .superRefine(named);
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
  }))
  .superRefine(named);
export type PosterSupplier = z.output<typeof supplierSchema>;

export const ingredientCategorySchema = z
  .object({ category_id: zId, name: zText, category_name: zText })
  // The doc table says category_name, live accounts send name.
  .transform((c) => ({ id: c.category_id, name: c.name || c.category_name }))
  .superRefine(named);
export type PosterIngredientCategory = z.output<typeof ingredientCategorySchema>;

export const ingredientSchema = z
  .object({
    ingredient_id: zId,
    ingredient_name: zText,
    ingredient_barcode: zText,
    category_id: zOptionalRef,
    ingredient_left: optional(zDecimal),
    limit_value: optional(zDecimal),
    ingredient_unit: zText,
    ingredient_weight: optional(zNumber),
    ingredients_type: optional(zNumber),
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
  }))
  .superRefine(named);
export type PosterIngredient = z.output<typeof ingredientSchema>;

export const leftoverSchema = z
  .object({
    ingredient_id: zId,
    ingredient_name: zText,
    ingredient_left: optional(zDecimal),
    storage_ingredient_left: optional(zDecimal),
    limit_value: optional(zDecimal),
    ingredient_unit: zText,
    ingredients_type: optional(zNumber),
    storage_ingredient_sum: optional(zMinor),
    prime_cost: optional(zMinor),
    hidden: zFlag,
  })
  .transform((l) => ({
    ingredientId: l.ingredient_id,
    name: l.ingredient_name,
    unit: l.ingredient_unit as PosterUnit | (string & {}),
    /** All storages together, even when a storage was requested. */
    totalLeft: l.ingredient_left ?? "0",
    /** This storage's quantity (may be negative); null when no storage_id was requested or Poster left it empty. */
    storageLeft: l.storage_ingredient_left ?? null,
    limitValue: l.limit_value ?? "0",
    type: l.ingredients_type ?? 1,
    sumMinor: l.storage_ingredient_sum ?? 0,
    /** Unit food cost in minor units. */
    primeCostMinor: l.prime_cost ?? null,
    hidden: l.hidden,
  }));
export type PosterLeftover = z.output<typeof leftoverSchema>;

const accountIdOf = (v: string | number | boolean | null | undefined) => (v === null || v === undefined || v === "" ? null : String(v));

export const supplySummarySchema = z
  .object({
    supply_id: zId,
    storage_id: zId,
    supplier_id: zId,
    date: zText,
    supply_sum: optional(zMinor),
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
    sumMinor: s.supply_sum ?? 0,
    comment: s.supply_comment,
    storageName: s.storage_name,
    supplierName: s.supplier_name,
    deleted: s.delete,
    accountId: accountIdOf(s.account_id),
  }));
export type PosterSupplySummary = z.output<typeof supplySummarySchema>;

/** getSupply prints money in MAJOR units (unlike getSupplies); converted back to minor here. */
export const supplySchema = z
  .object({
    supply_id: zId,
    storage_id: zId,
    supplier_id: zId,
    date: zText,
    supply_sum: optional(zMajorAsMinor),
    supply_comment: zText,
    supplier_name: zText,
    account_id: scalar.optional(),
    ingredients: looseArray(
      z.object({
        ingredient_id: zId,
        supply_ingredient_num: zDecimal,
        supply_ingredient_sum: optional(zMajorAsMinor),
        ingredient_name: zText,
        ingredient_unit: zText,
        type: optional(zNumber),
        ing_delete: zFlag,
      }),
    ),
  })
  .transform((s) => ({
    id: s.supply_id,
    storageId: s.storage_id,
    supplierId: s.supplier_id,
    date: s.date,
    sumMinor: s.supply_sum ?? 0,
    comment: s.supply_comment,
    supplierName: s.supplier_name,
    accountId: accountIdOf(s.account_id),
    lines: s.ingredients.map((l) => ({
      ingredientId: l.ingredient_id,
      num: l.supply_ingredient_num,
      /** Line total in minor units. */
      sumMinor: l.supply_ingredient_sum ?? 0,
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

/** A list row Poster sent that could not be read: left out of the result, and reported. */
export interface PosterSkippedRow {
  method: string;
  /** Position in Poster's list (0-based). */
  index: number;
  /** The row's Poster id when that much was readable; null when even the id was not. */
  id: number | null;
  /** Secret-free and short: "menu.getIngredients row 18 (id 91): limit_value: not a decimal: \"n/a\"". */
  reason: string;
}

/**
 * Reads a list answer row by row: a row that does not parse is skipped and reported through `onSkip`, the others
 * are returned. Only a list that is not a list at all (a broken envelope) fails, with `null`.
 */
export function parseRows<T>(
  method: string,
  raw: unknown,
  schema: z.ZodType<T>,
  idField: string,
  onSkip: (row: PosterSkippedRow) => void,
): T[] | null {
  if (!Array.isArray(raw)) return null;
  const rows: T[] = [];
  raw.forEach((item: unknown, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      rows.push(parsed.data);
      return;
    }
    const rawId = item !== null && typeof item === "object" ? (item as Record<string, unknown>)[idField] : undefined;
    const idParsed = zId.safeParse(rawId);
    const id = idParsed.success ? idParsed.data : null;
    const issue = parsed.error.issues[0];
    const what = item === null || typeof item !== "object" || Array.isArray(item)
      ? `not an object: ${shown(item)}`
      : `${issue?.path.join(".") || "row"}: ${issue?.message ?? "unreadable"}`;
    onSkip({ method, index, id, reason: `${method} row ${index + 1}${id !== null ? ` (id ${id})` : ""}: ${what}` });
  });
  return rows;
}
