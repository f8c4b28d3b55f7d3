import pRetry from "p-retry";
import type { z } from "zod";
import { recordOperation } from "@/server/observability/metrics";
import { reportError } from "@/server/observability/report";
import { decimalSign, normalizeDecimal } from "@/vocabulary/quantity";
import {
  PosterApiError, PosterAuthError, PosterError, PosterPermissionError, PosterRateLimitedError,
  PosterResponseFormatError, PosterUnavailableError, redactSecrets, type PosterAuthReason,
} from "./errors";
import { getDefaultPosterLimiter, type PosterLimiter } from "./limiter";
import { formatPosterDateTime, minorToMajor } from "./money";
import {
  createdIdSchema, ingredientCategorySchema, ingredientSchema, leftoverSchema, parseRows, settingsSchema, spotSchema,
  storageSchema, supplierSchema, supplySchema, supplySummarySchema,
  type PosterIngredient, type PosterIngredientCategory, type PosterLeftover, type PosterSettings, type PosterSkippedRow,
  type PosterSpot, type PosterStorage, type PosterSupplier, type PosterSupply, type PosterSupplySummary,
} from "./schemas";

export interface PosterRetryOptions {
  /** Further attempts after the first. Default 4. */
  retries: number;
  /** First backoff. Default 300 ms. Backoff doubles with jitter (×1–2). */
  minTimeoutMs: number;
  /** Backoff ceiling. Default 5 s. */
  maxTimeoutMs: number;
  /** Ceiling for honouring Retry-After. Default 30 s. */
  maxRetryAfterMs?: number;
}

export interface PosterClientOptions {
  /** API root without "/api", e.g. "https://demo.joinposter.com" or "http://localhost:3000/api/poster-sim". */
  baseUrl: string;
  accountNumber: string;
  /** `<account_number>:<32 hex>`; sent as ?token=, never logged. */
  token: string;
  fetch?: typeof fetch;
  limiter?: PosterLimiter;
  /** Per attempt. Default 20 s (Poster's first call after idling can take 4–5 s). */
  timeoutMs?: number;
  retry?: Partial<PosterRetryOptions>;
  /**
   * Called once when Poster rejects the token (11 invalid/revoked, 12 expired). After that the
   * client refuses every call without touching the network: the restaurant must reconnect.
   */
  onAuthFailure?: (err: PosterAuthError) => void | Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * List methods: called for each row Poster sent that could not be read. Such a row is left out instead of
   * failing the call (one odd value must not fail a whole sync); only a broken envelope fails it.
   */
  onSkip?: (row: PosterSkippedRow) => void;
}

export type SupplyLineType = "ingredient" | "product" | "modifier";
/** createSupply's own enum (differs from every other endpoint's). */
const SUPPLY_LINE_TYPE: Record<SupplyLineType, number> = { product: 1, ingredient: 4, modifier: 5 };

export interface CreateSupplyInput {
  storageId: number;
  supplierId: number;
  /** A ready "Y-m-d H:i:s" in account local time, or a Date formatted in `timeZone`. */
  date: string | Date;
  /** The account's IANA timezone (settings.timezone); required when `date` is a Date. */
  timeZone?: string;
  comment?: string;
  /** Finance account to pay from. */
  accountId?: number | string;
  lines: Array<{
    id: number;
    type?: SupplyLineType;
    /** Quantity in the item's unit. */
    num: string | number;
    /** Price per unit in minor units (sent to Poster as major units, as it expects). */
    pricePerUnitMinor: number;
  }>;
}

export interface LeftoversQuery {
  storageId?: number;
  categoryId?: number;
  /** Poster hides zero rows unless asked. */
  zeroLeftovers?: boolean;
  /** 1 ingredient, 2 product, 3 modifier, 4 dish, 5 prepack. */
  type?: number;
}

export interface SuppliesQuery {
  /** "Ymd" (see formatPosterYmd); dates override limit/offset. */
  dateFrom?: string;
  dateTo?: string;
  limit?: number;
  offset?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestSpec<T> {
  method: string;
  query?: Query;
  body?: unknown;
  /** Turns the envelope's `response` into the result; throws PosterResponseFormatError when it cannot. */
  parse: (response: unknown) => T;
  /** Non-idempotent writes are only retried when Poster certainly did not process them (429). */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

const DEFAULT_RETRY: Required<PosterRetryOptions> = { retries: 4, minTimeoutMs: 300, maxTimeoutMs: 5_000, maxRetryAfterMs: 30_000 };

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PosterClient {
  readonly accountNumber: string;
  /** True once the token was rejected; every call then throws PosterAuthError immediately. */
  readonly authFailed: boolean;
  getAllSettings(o?: CallOptions): Promise<PosterSettings>;
  getSpots(o?: CallOptions): Promise<PosterSpot[]>;
  getStorages(o?: CallOptions): Promise<PosterStorage[]>;
  getSuppliers(o?: CallOptions): Promise<PosterSupplier[]>;
  getCategoriesIngredients(o?: CallOptions): Promise<PosterIngredientCategory[]>;
  getIngredients(o?: CallOptions): Promise<PosterIngredient[]>;
  getStorageLeftovers(q?: LeftoversQuery, o?: CallOptions): Promise<PosterLeftover[]>;
  /** Returns the new supply id. Not idempotent: retried only on 429 unless `retryUnsafe`. */
  createSupply(input: CreateSupplyInput, o?: CallOptions & { retryUnsafe?: boolean }): Promise<number>;
  getSupplies(q?: SuppliesQuery, o?: CallOptions): Promise<PosterSupplySummary[]>;
  getSupply(supplyId: number, o?: CallOptions): Promise<PosterSupply>;
  /** Escape hatch for methods without a typed wrapper; the payload is parsed with `schema`. */
  call<T>(method: string, schema: z.ZodType<T>, options?: { query?: Query; body?: unknown; idempotent?: boolean } & CallOptions): Promise<T>;
}

export function createPosterClient(options: PosterClientOptions): PosterClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const limiter = options.limiter ?? getDefaultPosterLimiter();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const secrets = [options.token, options.token.split(":")[1]];
  const redact = (s: string) => redactSecrets(s, secrets);
  let dead: { reason: PosterAuthReason; code: 10 | 11 | 12 } | null = null;

  async function failAuth(err: PosterAuthError): Promise<void> {
    if (err.code === 10 || dead) return; // 10 is a bug on our side, not a dead token.
    dead = { reason: err.reason, code: err.code };
    try {
      await options.onAuthFailure?.(err);
    } catch {
      // A failing callback must not hide the auth error itself.
    }
  }

  function classify(method: string, code: number, message: string, field?: string): PosterError {
    const msg = redact(message || "no message");
    if (code === 10) return new PosterAuthError("missing", 10, msg, method);
    if (code === 11) return new PosterAuthError("invalid", 11, msg, method);
    if (code === 12) return new PosterAuthError("expired", 12, msg, method);
    if (code === 20 || code === 54) return new PosterPermissionError(code, msg, method);
    return new PosterApiError(code, msg, method, field);
  }

  /** One HTTP attempt: the envelope's `response`, or a typed error. */
  async function attempt(spec: RequestSpec<unknown>): Promise<unknown> {
    if (dead) throw new PosterAuthError(dead.reason, dead.code, "token was rejected earlier; reconnect required", spec.method);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) params.set(k, String(v));
    params.set("token", options.token);
    const url = `${baseUrl}/api/${spec.method}?${params.toString()}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout;
    const init: RequestInit = spec.body === undefined
      ? { method: "GET", signal }
      : { method: "POST", signal, headers: { "content-type": "application/json" }, body: JSON.stringify(spec.body) };

    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, init);
      text = await response.text();
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      if (timeout.aborted) throw new PosterUnavailableError("timeout", `no answer within ${timeoutMs} ms`, spec.method);
      const detail = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ""}` : "unknown";
      throw new PosterUnavailableError("network", redact(`network error: ${detail}`), spec.method);
    }

    if (response.status === 429) throw new PosterRateLimitedError(parseRetryAfter(response.headers.get("retry-after")), spec.method);
    if (response.status >= 500) throw new PosterUnavailableError("http", `HTTP ${response.status}`, spec.method, response.status);

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (response.status === 405) throw new PosterApiError(30, "Method Not Allowed", spec.method);
      throw new PosterUnavailableError("invalid-response", `HTTP ${response.status} with a non-JSON body`, spec.method, response.status);
    }
    if (body === null || typeof body !== "object") throw new PosterResponseFormatError("body is not an object", spec.method);
    const envelope = body as { error?: unknown; message?: unknown; field?: unknown; response?: unknown };

    if (envelope.error !== undefined && envelope.error !== null && envelope.error !== 0) {
      // Both shapes: {"error":{"code":11,"message":"..."}} and the flat {"error":34,"message":"...","field":"..."}.
      const e = envelope.error;
      const nested = typeof e === "object" ? (e as { code?: unknown; message?: unknown }) : null;
      const code = Number(nested ? nested.code : e);
      const message = String((nested ? nested.message : envelope.message) ?? "");
      const field = typeof envelope.field === "string" ? envelope.field : undefined;
      const err = classify(spec.method, Number.isFinite(code) ? code : -1, message, field);
      if (err instanceof PosterAuthError) await failAuth(err);
      throw err;
    }
    if (response.status === 405) throw new PosterApiError(30, "Method Not Allowed", spec.method);
    if (!("response" in envelope)) throw new PosterResponseFormatError("no response field", spec.method);
    return envelope.response;
  }

  /** The whole answer must match (objects, ids): one wrong field fails the call. */
  const whole = <T>(method: string, schema: z.ZodType<T>) => (response: unknown): T => {
    const parsed = schema.safeParse(response);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PosterResponseFormatError(redact(`${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`), method);
    }
    return parsed.data;
  };

  /** A list: unreadable rows are skipped and reported; only a non-list fails the call. */
  const rows = <T>(method: string, schema: z.ZodType<T>, idField: string, o?: CallOptions) => (response: unknown): T[] => {
    const result = parseRows(method, response, schema, idField, (row) => o?.onSkip?.({ ...row, reason: redact(row.reason) }));
    if (result === null) throw new PosterResponseFormatError("response is not a list", method);
    return result;
  };

  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    if (dead) throw new PosterAuthError(dead.reason, dead.code, "token was rejected earlier; reconnect required", spec.method);
    const started = performance.now();
    try {
      // Parsed once, after the retries: a row is reported once however many attempts the call took.
      const result = spec.parse(await requestRaw(spec));
      recordOperation("poster", spec.method, performance.now() - started, "ok");
      return result;
    } catch (err) {
      // One call, however many attempts: the Poster error rate counts the calls that failed after the retries.
      recordOperation("poster", spec.method, performance.now() - started, spec.signal?.aborted ? "refused" : "error");
      // After the retries: one report per failed call, tagged with its method (a reconnect is not reported).
      if (err instanceof PosterError) reportError(err, { posterMethod: spec.method });
      throw err;
    }
  }

  function requestRaw(spec: RequestSpec<unknown>): Promise<unknown> {
    return pRetry(() => limiter.run(options.accountNumber, () => attempt(spec)), {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: 2,
      randomize: true,
      ...(spec.signal ? { signal: spec.signal } : {}),
      shouldRetry: ({ error }) =>
        error instanceof PosterError && error.retryable && !dead && (spec.idempotent || error instanceof PosterRateLimitedError),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        // Honour Retry-After (capped) on top of the regular backoff.
        if (error instanceof PosterRateLimitedError && error.retryAfterMs && retriesLeft > 0) {
          await sleep(Math.min(error.retryAfterMs, retry.maxRetryAfterMs));
        }
      },
    });
  }

  const get = <T>(method: string, parse: (response: unknown) => T, o?: CallOptions, query?: Query) =>
    request({ method, parse, idempotent: true, signal: o?.signal, ...(query ? { query } : {}) });

  return {
    accountNumber: options.accountNumber,
    get authFailed() {
      return dead !== null;
    },
    getAllSettings: (o) => get("settings.getAllSettings", whole("settings.getAllSettings", settingsSchema), o),
    getSpots: (o) => get("access.getSpots", rows("access.getSpots", spotSchema, "spot_id", o), o),
    getStorages: (o) => get("storage.getStorages", rows("storage.getStorages", storageSchema, "storage_id", o), o),
    getSuppliers: (o) => get("storage.getSuppliers", rows("storage.getSuppliers", supplierSchema, "supplier_id", o), o),
    getCategoriesIngredients: (o) =>
      get("menu.getCategoriesIngredients", rows("menu.getCategoriesIngredients", ingredientCategorySchema, "category_id", o), o),
    getIngredients: (o) => get("menu.getIngredients", rows("menu.getIngredients", ingredientSchema, "ingredient_id", o), o),
    getStorageLeftovers: (q = {}, o) =>
      get("storage.getStorageLeftovers", rows("storage.getStorageLeftovers", leftoverSchema, "ingredient_id", o), o, {
        storage_id: q.storageId,
        category_id: q.categoryId,
        type: q.type,
        zero_leftovers: q.zeroLeftovers ? "true" : undefined,
      }),
    getSupplies: (q = {}, o) =>
      get("storage.getSupplies", rows("storage.getSupplies", supplySummarySchema, "supply_id", o), o, {
        dateFrom: q.dateFrom, dateTo: q.dateTo, limit: q.limit, offset: q.offset,
      }),
    getSupply: (supplyId, o) => get("storage.getSupply", whole("storage.getSupply", supplySchema), o, { supply_id: supplyId }),
    createSupply: (input, o) =>
      request({
        method: "storage.createSupply",
        parse: whole("storage.createSupply", createdIdSchema),
        body: supplyBody(input),
        idempotent: o?.retryUnsafe ?? false,
        signal: o?.signal,
      }),
    call: (method, schema, o = {}) =>
      request({ method, parse: whole(method, schema), query: o.query, body: o.body, idempotent: o.idempotent ?? o.body === undefined, signal: o.signal }),
  };
}

/** The documented nested body: {supply:{...}, ingredient:[...]} (the flat form is rejected by Poster). */
export function supplyBody(input: CreateSupplyInput) {
  let date: string;
  if (typeof input.date === "string") {
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(input.date)) throw new TypeError('createSupply: date must be "Y-m-d H:i:s"');
    date = input.date;
  } else {
    if (!input.timeZone) throw new TypeError("createSupply: timeZone is required when date is a Date");
    date = formatPosterDateTime(input.date, input.timeZone);
  }
  if (input.lines.length === 0) throw new TypeError("createSupply: at least one line is required");
  return {
    supply: {
      date,
      supplier_id: String(input.supplierId),
      storage_id: String(input.storageId),
      ...(input.comment ? { supply_comment: input.comment } : {}),
      ...(input.accountId !== undefined ? { account_id: String(input.accountId) } : {}),
    },
    ingredient: input.lines.map((l, i) => {
      const num = normalizeDecimal(l.num);
      if (num === null || decimalSign(num) !== 1) throw new TypeError(`createSupply: line ${i} num must be a positive decimal`);
      if (!Number.isSafeInteger(l.pricePerUnitMinor) || l.pricePerUnitMinor < 0) throw new TypeError(`createSupply: line ${i} price must be a non-negative integer of minor units`);
      return { id: String(l.id), type: String(SUPPLY_LINE_TYPE[l.type ?? "ingredient"]), num, sum: minorToMajor(l.pricePerUnitMinor) };
    }),
  };
}
