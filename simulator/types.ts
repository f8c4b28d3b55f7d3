import type { PosterUnit } from "./names";

/**
 * Quantities are kept as integers scaled by 1e5 (Poster prints 5 decimals), so repeated supplies
 * never accumulate float error ("443.45000" stays exact).
 */
export const QTY_SCALE = 100_000;

export interface SimStorage { id: number; name: string; address: string; deleted: boolean }
export interface SimCategory { id: number; name: string }
export interface SimSupplier {
  id: number; name: string; phone: string; address: string; comment: string; code: string; tin: string; deleted: boolean;
}
export interface SimIngredient {
  id: number;
  name: string;
  barcode: string;
  /** 0 = no category, as in Poster. */
  categoryId: number;
  unit: PosterUnit;
  /** Weight of one piece for "p" ingredients (kg); 0 otherwise. */
  weight: number;
  /** 1 ingredient, 2 "system ingredient" (prepack). */
  type: 1 | 2;
  limitValue: number;
  /** Unit food cost in minor units. */
  primeCostMinor: number;
  hidden: boolean;
  deleted: boolean;
}
export interface SimSpot { id: number; name: string; address: string; storageIds: number[] }
export interface SimSupplyLine { ingredientId: number; type: 1 | 4 | 5; numScaled: number; totalMinor: number }
export interface SimSupply {
  id: number; storageId: number; supplierId: number; date: string; comment: string; accountId: string | null; deleted: boolean;
  lines: SimSupplyLine[];
}

/** The menu side (simulator/menu.ts builds it): menu categories and products. */
export interface SimMenuCategory { id: number; name: string; hidden: boolean }
export interface SimRecipeLine {
  structureId: number;
  ingredientId: number;
  /** Grams (kg ingredients), millilitres (l) or pieces (p) per portion. */
  brutto: number;
  netto: number;
}
export interface SimProduct {
  id: number;
  name: string;
  /** 1 prepack, 2 dish (tech card), 3 goods. */
  type: 1 | 2 | 3;
  /** Menu category; 0 for prepacks, which are not on the menu. */
  categoryId: number;
  /** Goods: the ingredient that is their stock; prepacks: their system ingredient; dishes: 0. */
  ingredientId: number;
  recipe: SimRecipeLine[];
  /** Price per spot in minor units. */
  prices: Array<{ spotId: number; priceMinor: number; visible: boolean }>;
  workshop: number;
  cookingTimeS: number;
  hidden: boolean;
}
export interface SimMenu { categories: SimMenuCategory[]; products: SimProduct[] }

export interface SimCurrency {
  currency_id: number; currency_name: string; currency_code: string; currency_symbol: string; currency_code_iso: string;
}

export interface SimAccountData {
  storages: SimStorage[];
  categories: SimCategory[];
  suppliers: SimSupplier[];
  ingredients: SimIngredient[];
  spots: SimSpot[];
  /** storageId → ingredientId → scaled qty. A missing key means "no leftover row" in Poster. */
  stock: Map<number, Map<number, number>>;
  supplies: SimSupply[];
  /** Menu categories and products (goods, dishes, prepacks) built from the ingredients. */
  menu: SimMenu;
}

export interface SimAccountProfile {
  login: string;
  accountNumber: string;
  companyName: string;
  timezone: string;
  lang: string;
  currency: SimCurrency;
  owner: { userId: number; name: string; email: string; phone: string; city: string; country: string };
}

export interface SimRateLimitFault { limit: number; windowMs: number }
export type SimQueuedFault = "5xx" | "drop" | "429";

export interface SimFaults {
  /** Added to every API request of the account. */
  latencyMs: number;
  /** Share (0..1) of requests answered with HTTP 5xx. */
  errorRate: number;
  /** Share (0..1) of requests whose connection is dropped (fetch rejects). */
  dropRate: number;
  /** Sliding-window request limit answered with HTTP 429 + Retry-After. null = unlimited (like real Poster). */
  rateLimit: SimRateLimitFault | null;
  /** Exact faults for the next requests, consumed first-in first-out (deterministic tests). */
  queue: SimQueuedFault[];
  /** Methods answered with code 20 (app lacks permission). */
  deniedMethods: string[];
  /**
   * Answer lists with the odd values live accounts send (simulator/odd.ts): null and "" in optional numbers,
   * exponents ("1.0E-5"), and a few unreadable rows (an id-less ingredient, a supplier that is `null`, a quantity "—").
   */
  oddValues: boolean;
  /** OAuth: the authorize redirect leaves out `state` (Poster does not document echoing it). */
  oauthDropsState: boolean;
}

export type SimTokenState = "active" | "expired" | "revoked";

export interface SimRequestLogEntry {
  method: string; at: number; httpStatus: number; errorCode: number | null;
  /** The login of the account host the call came to; null: the generic host. */
  host: string | null;
}

export const DEFAULT_FAULTS: SimFaults = {
  latencyMs: 0, errorRate: 0, dropRate: 0, rateLimit: null, queue: [], deniedMethods: [], oddValues: false, oauthDropsState: false,
};
