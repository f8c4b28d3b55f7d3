import { createRng } from "./prng";
import { generateAccountData, type SimAccountSize } from "./generate";
import type { PosterUnit } from "./names";
import {
  DEFAULT_FAULTS, QTY_SCALE,
  type SimAccountData, type SimAccountProfile, type SimCurrency, type SimFaults, type SimIngredient,
  type SimRequestLogEntry, type SimSupplier, type SimTokenState,
} from "./types";
import type { WebhookEvent } from "./webhooks";

export const CURRENCIES: Record<string, SimCurrency> = {
  RUB: { currency_id: 1, currency_name: "Российский рубль", currency_code: "руб.", currency_symbol: "₽", currency_code_iso: "RUB" },
  KZT: { currency_id: 2, currency_name: "Казахстанский тенге", currency_code: "тг.", currency_symbol: "₸", currency_code_iso: "KZT" },
  USD: { currency_id: 3, currency_name: "US Dollar", currency_code: "$", currency_symbol: "$", currency_code_iso: "USD" },
};

export interface SimAccountOptions {
  login: string;
  accountNumber: string;
  /** Seed for the data; defaults to the login. */
  seed?: string;
  /** Fixed token (`<accountNumber>:<32 hex>`); default derived from the seed. */
  token?: string;
  companyName?: string;
  currency?: keyof typeof CURRENCIES;
  timezone?: string;
  lang?: string;
  country?: string;
  size?: SimAccountSize;
  faults?: Partial<SimFaults>;
  /** Whether the application is installed (webhooks are only sent to installed accounts). */
  appInstalled?: boolean;
}

/** Every data change the control API offers; each emits the webhooks Poster would send. */
export type SimEdit =
  | { op: "renameIngredient"; ingredientId: number; name: string }
  | { op: "hideIngredient"; ingredientId: number }
  | { op: "unhideIngredient"; ingredientId: number }
  | { op: "deleteIngredient"; ingredientId: number }
  | { op: "restoreIngredient"; ingredientId: number }
  | { op: "addIngredient"; name: string; unit: PosterUnit; categoryId?: number; primeCostMinor?: number }
  | { op: "setStock"; storageId: number; ingredientId: number; quantity: number | string | null }
  | { op: "deleteStorage"; storageId: number }
  | { op: "addSupplier"; name: string; phone?: string; address?: string; comment?: string }
  | { op: "deleteSupplier"; supplierId: number };

export class SimError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

/** Who signs in at Poster's OAuth page: by default the account owner (role_id 3). */
export interface SimOAuthUser {
  id: number;
  name: string;
  email: string;
  roleId: number;
}

/** One simulated Poster account: its data, its token, its faults and its request log. */
export class SimAccount {
  readonly profile: SimAccountProfile;
  data: SimAccountData;
  faults: SimFaults;
  token: string;
  tokenState: SimTokenState = "active";
  /** When set, the token counts as expired after this time (ms since epoch). */
  tokenExpiresAt: number | null = null;
  /** Another employee of the account approving OAuth (tests of "only the owner may connect"); null = the owner. */
  oauthUser: SimOAuthUser | null = null;
  appInstalled: boolean;
  /** application.setEntityExtras, by "entity_type:entity_id" ("settings:" for the account itself). */
  readonly extras = new Map<string, Record<string, unknown>>();
  readonly requestLog: SimRequestLogEntry[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Request times for the rate-limit fault's sliding window. */
  readonly rateWindow: number[] = [];
  /** Fault dice: seeded so a failing test run can be replayed. */
  readonly faultRng: ReturnType<typeof createRng>;
  private readonly initial: () => SimAccountData;

  constructor(readonly options: SimAccountOptions, private readonly emit: (e: WebhookEvent) => void) {
    const seed = options.seed ?? options.login;
    const currency = CURRENCIES[options.currency ?? "RUB"] ?? (CURRENCIES.RUB as SimCurrency);
    const country = options.country ?? (currency.currency_code_iso === "KZT" ? "KZ" : currency.currency_code_iso === "USD" ? "US" : "RU");
    this.initial = () => generateAccountData(seed, options.size, country);
    this.data = this.initial();
    const rng = createRng(`${seed}:profile`);
    this.profile = {
      login: options.login,
      accountNumber: options.accountNumber,
      companyName: options.companyName ?? `Ресторан ${options.login}`,
      timezone: options.timezone ?? "Europe/Moscow",
      lang: options.lang ?? "ru",
      currency,
      owner: {
        userId: 1,
        name: "Владелец",
        email: `owner@${options.login}.example`,
        phone: `+7 9${String(rng.int(10, 99))} ${String(rng.int(100, 999))}-${String(rng.int(10, 99))}-${String(rng.int(10, 99))}`,
        city: country === "KZ" ? "Алматы" : country === "US" ? "New York" : "Москва",
        country,
      },
    };
    this.token = options.token ?? `${options.accountNumber}:${rng.hex(32)}`;
    this.faults = { ...DEFAULT_FAULTS, ...options.faults, queue: [...(options.faults?.queue ?? [])], deniedMethods: [...(options.faults?.deniedMethods ?? [])] };
    this.appInstalled = options.appInstalled ?? true;
    this.faultRng = createRng(`${seed}:faults`);
  }

  /** Back to the generated data, with faults, token and log cleared. */
  reset(): void {
    this.data = this.initial();
    this.faults = { ...DEFAULT_FAULTS, queue: [], deniedMethods: [] };
    this.tokenState = "active";
    this.tokenExpiresAt = null;
    this.oauthUser = null;
    this.extras.clear();
    this.token = this.options.token ?? this.token;
    this.appInstalled = this.options.appInstalled ?? true;
    this.clearLog();
  }

  clearLog(): void {
    this.requestLog.length = 0;
    this.rateWindow.length = 0;
    this.maxInFlight = this.inFlight;
  }

  setFaults(patch: Partial<SimFaults>): SimFaults {
    this.faults = {
      ...this.faults,
      ...patch,
      queue: patch.queue ? [...patch.queue] : this.faults.queue,
      deniedMethods: patch.deniedMethods ? [...patch.deniedMethods] : this.faults.deniedMethods,
    };
    return this.faults;
  }

  tokenStatus(now: number): SimTokenState {
    if (this.tokenState === "active" && this.tokenExpiresAt !== null && now >= this.tokenExpiresAt) return "expired";
    return this.tokenState;
  }

  setTokenState(state: SimTokenState): void {
    this.tokenState = state;
    if (state === "active") this.tokenExpiresAt = null;
  }

  /** A new token; the old one becomes invalid (code 11). */
  rotateToken(hex: string): string {
    this.token = `${this.profile.accountNumber}:${hex}`;
    this.setTokenState("active");
    return this.token;
  }

  event(object: string, objectId: number, action: string, data?: Record<string, unknown>): void {
    if (!this.appInstalled) return;
    this.emit({ account: this.profile.login, accountNumber: this.profile.accountNumber, object, objectId, action, ...(data ? { data } : {}) });
  }

  installApp(): void {
    this.appInstalled = true;
    this.setTokenState("active");
    this.event("application", 1, "added", { user_id: this.profile.owner.userId, access_token: this.token });
  }

  uninstallApp(): void {
    this.event("application", 1, "removed", { user_id: this.profile.owner.userId });
    this.appInstalled = false;
    // Poster does not say so, but a removed app's token is unusable afterwards.
    this.setTokenState("revoked");
  }

  ingredient(id: number): SimIngredient {
    const ing = this.data.ingredients.find((i) => i.id === id);
    if (!ing) throw new SimError(32, `Ingredient ${id} does not exist`);
    return ing;
  }

  /** Stock of an ingredient summed over the storages that are not deleted (Poster's ingredient_left). */
  totalStockScaled(ingredientId: number): number {
    let total = 0;
    for (const s of this.data.storages) {
      if (s.deleted) continue;
      total += this.data.stock.get(s.id)?.get(ingredientId) ?? 0;
    }
    return total;
  }

  /** Changes one storage's stock and emits the `stock` hook (type 1 = ingredient). */
  changeStock(storageId: number, ingredientId: number, newScaled: number | null): void {
    const rows = this.data.stock.get(storageId) ?? new Map<number, number>();
    this.data.stock.set(storageId, rows);
    const before = rows.get(ingredientId) ?? 0;
    if (newScaled === null) rows.delete(ingredientId);
    else rows.set(ingredientId, newScaled);
    const after = newScaled ?? 0;
    this.event("stock", ingredientId, "changed", {
      type: 1,
      element_id: ingredientId,
      storage_id: storageId,
      value_relative: (after - before) / QTY_SCALE,
      value_absolute: after / QTY_SCALE,
    });
  }

  apply(edit: SimEdit): { id?: number } {
    switch (edit.op) {
      case "renameIngredient": {
        this.ingredient(edit.ingredientId).name = edit.name;
        this.event("ingredient", edit.ingredientId, "changed");
        return { id: edit.ingredientId };
      }
      case "hideIngredient":
      case "unhideIngredient": {
        this.ingredient(edit.ingredientId).hidden = edit.op === "hideIngredient";
        this.event("ingredient", edit.ingredientId, "changed");
        return { id: edit.ingredientId };
      }
      case "deleteIngredient": {
        this.ingredient(edit.ingredientId).deleted = true;
        this.event("ingredient", edit.ingredientId, "removed");
        return { id: edit.ingredientId };
      }
      case "restoreIngredient": {
        this.ingredient(edit.ingredientId).deleted = false;
        this.event("ingredient", edit.ingredientId, "changed");
        return { id: edit.ingredientId };
      }
      case "addIngredient": {
        if (edit.categoryId && !this.data.categories.some((c) => c.id === edit.categoryId)) throw new SimError(32, `Category ${edit.categoryId} does not exist`);
        const id = Math.max(0, ...this.data.ingredients.map((i) => i.id)) + 1;
        this.data.ingredients.push({
          id, name: edit.name, barcode: "", categoryId: edit.categoryId ?? 0, unit: edit.unit, weight: 0, type: 1,
          limitValue: 0, primeCostMinor: edit.primeCostMinor ?? 0, hidden: false, deleted: false,
        });
        this.event("ingredient", id, "added");
        return { id };
      }
      case "setStock": {
        if (!this.data.storages.some((s) => s.id === edit.storageId)) throw new SimError(32, `Storage ${edit.storageId} does not exist`);
        this.ingredient(edit.ingredientId);
        const q = edit.quantity === null ? null : Math.round(Number(edit.quantity) * QTY_SCALE);
        if (q !== null && !Number.isFinite(q)) throw new SimError(155, "quantity must be a number");
        this.changeStock(edit.storageId, edit.ingredientId, q);
        return { id: edit.ingredientId };
      }
      case "deleteStorage": {
        const s = this.data.storages.find((x) => x.id === edit.storageId);
        if (!s) throw new SimError(32, `Storage ${edit.storageId} does not exist`);
        s.deleted = true;
        this.event("storage", s.id, "removed");
        return { id: s.id };
      }
      case "addSupplier": {
        const id = Math.max(0, ...this.data.suppliers.map((x) => x.id)) + 1;
        const supplier: SimSupplier = {
          id, name: edit.name, phone: edit.phone ?? "", address: edit.address ?? "", comment: edit.comment ?? "", code: "", tin: "", deleted: false,
        };
        this.data.suppliers.push(supplier);
        // Poster has no supplier webhook: apps must poll storage.getSuppliers.
        return { id };
      }
      case "deleteSupplier": {
        const s = this.data.suppliers.find((x) => x.id === edit.supplierId);
        if (!s) throw new SimError(32, `Supplier ${edit.supplierId} does not exist`);
        s.deleted = true;
        return { id: s.id };
      }
    }
  }

  /** Summary for listings (no data arrays). */
  info() {
    const d = this.data;
    return {
      login: this.profile.login,
      accountNumber: this.profile.accountNumber,
      token: this.token,
      tokenState: this.tokenStatus(Date.now()),
      companyName: this.profile.companyName,
      currency: this.profile.currency.currency_code_iso,
      timezone: this.profile.timezone,
      lang: this.profile.lang,
      appInstalled: this.appInstalled,
      counts: {
        storages: d.storages.length, ingredients: d.ingredients.length, suppliers: d.suppliers.length,
        categories: d.categories.length, supplies: d.supplies.length,
      },
      faults: this.faults,
      requests: this.requestLog.length,
      maxInFlight: this.maxInFlight,
    };
  }
}

export type SimAccountInfo = ReturnType<SimAccount["info"]>;
