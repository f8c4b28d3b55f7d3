import { TRPCError } from "@trpc/server";
import { ZodError, type ZodType } from "zod";
import { PERMISSIONS, type Access } from "@/server/auth/permissions";
import type { AnyRouter } from "@trpc/server";

/**
 * Introspection of the tRPC routers for the generated test harnesses (access matrix, IDOR, bad input): every
 * procedure, its declared access and its zod input, plus valid-looking and malformed inputs derived from that
 * schema. Nothing here knows a procedure by name, so procedures added later are covered automatically.
 */

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  access: Access | undefined;
  /** The merged input schema (tRPC allows several .input() calls); undefined when the procedure takes none. */
  inputs: ZodType[];
}

interface ProcedureDef {
  type: ProcedureInfo["type"];
  meta?: { access?: Access };
  inputs: unknown[];
}

export function listProcedures(router: AnyRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef }>;
  return Object.entries(procedures)
    .map(([path, p]) => ({ path, type: p._def.type, access: p._def.meta?.access, inputs: p._def.inputs as ZodType[] }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function isValidAccess(access: unknown): access is Access {
  if (access === "public" || access === "authenticated" || access === "platform-admin") return true;
  if (!access || typeof access !== "object") return false;
  const permission = (access as { tenant?: unknown }).tenant;
  return typeof permission === "string" && Object.hasOwn(PERMISSIONS, permission);
}

/** Calls `path` on a caller built by createCaller (a nested proxy). */
export function callProcedure(caller: unknown, path: string, input: unknown): Promise<unknown> {
  let target = caller as Record<string, unknown>;
  for (const part of path.split(".")) target = target[part] as Record<string, unknown>;
  return (target as unknown as (input: unknown) => Promise<unknown>)(input);
}

export type Outcome = { ok: true; data: unknown } | { ok: false; code: string; message: string; zod: boolean; error: unknown };

export async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, data: await promise };
  } catch (error) {
    if (error instanceof TRPCError) {
      return { ok: false, code: error.code, message: error.message, zod: error.cause instanceof ZodError, error };
    }
    return { ok: false, code: "NOT_A_TRPC_ERROR", message: String(error), zod: false, error };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// zod 4 schema walking

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def) => ((def.checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((c) => c._zod.def);

export type PathKey = string | number;

/** Asked for a value for every uuid leaf, by its path and the name of the field it sits in. */
export type UuidPicker = (path: PathKey[], key: string) => string;

const STRING_CANDIDATES = ["Probe", "1", "1.5", "probe@example.com", "https://example.com", "2026-01-15", "2026-01-15T10:00:00.000Z", "10:00", "+79000000000", "ru", "en", "a"];
const NUMBER_CANDIDATES = [1, 2, 0, 10, 0.5, 100, 1000];

function isUuidString(def: Def): boolean {
  return def.type === "string" && (def.format === "uuid" || def.format === "guid");
}

/** The key of the nearest named field above a path (array indices skipped). */
function fieldKey(path: PathKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return path[i] as string;
  return "";
}

export interface SampleOptions {
  /** Fill every optional field too (the bad-input harness corrupts each of them), not only those holding a uuid. */
  everyField?: boolean;
}

/**
 * A value the schema should accept, with every uuid leaf filled by `pick`. Optional fields are filled only when
 * they (transitively) hold a uuid, so id-taking paths get exercised (all of them with `everyField`). Best effort:
 * callers check with safeParse.
 */
export function sampleInput(schema: unknown, pick: UuidPicker, path: PathKey[] = [], opts: SampleOptions = {}): unknown {
  const def = defOf(schema);
  const sample = (s: unknown, p: PathKey[]) => sampleInput(s, pick, p, opts);
  switch (def.type) {
    case "string": {
      if (isUuidString(def)) return pick(path, fieldKey(path));
      const fitting = formatCandidate(def) ?? STRING_CANDIDATES.find((c) => (schema as ZodType).safeParse(c).success);
      return fitting ?? "Probe";
    }
    case "number": {
      const fitting = NUMBER_CANDIDATES.find((n) => (schema as ZodType).safeParse(n).success);
      if (fitting !== undefined) return fitting;
      const min = checksOf(def).find((c) => c.check === "greater_than")?.value;
      return typeof min === "number" ? Math.ceil(min) + 1 : 1;
    }
    case "bigint":
      return 1n;
    case "boolean":
      // false walks the "turn off / deactivate" paths, usually the destructive ones.
      return false;
    case "date":
      return new Date();
    case "enum":
      return Object.values(def.entries as Record<string, unknown>)[0];
    case "literal":
      return (def.values as unknown[])[0];
    case "null":
      return null;
    case "undefined":
    case "void":
      return undefined;
    case "any":
    case "unknown":
      return "Probe";
    case "optional":
    case "nonoptional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
      return sample(def.innerType, path);
    case "pipe": {
      // z.string().pipe(z.string().regex(...)), z.preprocess(...): the input side alone may not say what passes.
      const first = sample(def.in, path);
      if (accepts(schema, first)) return first;
      if (defOf(def.out).type !== "transform") {
        const second = sample(def.out, path);
        if (accepts(schema, second)) return second;
      }
      return [...STRING_CANDIDATES, ...NUMBER_CANDIDATES, true, false].find((v) => accepts(schema, v)) ?? first;
    }
    case "lazy":
      return sample((def.getter as () => unknown)(), path);
    case "transform":
      return "Probe";
    case "array": {
      const min = checksOf(def).find((c) => c.check === "min_length")?.minimum;
      const count = Math.max(1, typeof min === "number" ? min : 1);
      return Array.from({ length: count }, (_, i) => sample(def.element, [...path, i]));
    }
    case "tuple":
      return (def.items as unknown[]).map((item, i) => sample(item, [...path, i]));
    case "set":
      return new Set([sample(def.valueType, [...path, 0])]);
    case "record":
    case "map":
      return {};
    case "union": {
      const options = def.options as unknown[];
      for (const option of options) {
        const value = sample(option, path);
        if ((option as ZodType).safeParse(value).success) return value;
      }
      return sample(options[0], path);
    }
    case "intersection":
      return { ...(sample(def.left, path) as object), ...(sample(def.right, path) as object) };
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const optional = (field as ZodType).safeParse(undefined).success;
        if (optional && !opts.everyField && !holdsUuid(field)) continue;
        out[key] = sample(field, [...path, key]);
      }
      return out;
    }
    default:
      return undefined;
  }
}

function accepts(schema: unknown, value: unknown): boolean {
  try {
    return (schema as ZodType).safeParse(value).success;
  } catch {
    return false;
  }
}

function formatCandidate(def: Def): string | undefined {
  switch (def.format) {
    case "email":
      return "probe@example.com";
    case "url":
      return "https://example.com";
    case "date":
      return new Date().toISOString().slice(0, 10);
    case "datetime":
      return new Date().toISOString();
    case "time":
      return "10:00:00";
    default:
      return undefined;
  }
}

/** Does the schema contain a uuid anywhere? */
export function holdsUuid(schema: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  const def = defOf(schema);
  if (isUuidString(def)) return true;
  const children: unknown[] = [];
  for (const key of ["innerType", "in", "element", "valueType", "left", "right"]) if (def[key]) children.push(def[key]);
  if (def.type === "object") children.push(...Object.values(def.shape as Record<string, unknown>));
  if (def.type === "union") children.push(...(def.options as unknown[]));
  if (def.type === "tuple") children.push(...(def.items as unknown[]));
  return children.some((c) => holdsUuid(c, depth + 1));
}

/** Every uuid leaf of a sample: its path and field name. */
export function uuidLeaves(schema: unknown): { path: PathKey[]; key: string }[] {
  const leaves: { path: PathKey[]; key: string }[] = [];
  sampleInput(schema, (path, key) => {
    leaves.push({ path, key });
    return "00000000-0000-4000-8000-000000000000";
  });
  return leaves;
}

/** Every object schema reachable from `schema` that lets unknown keys through (not .strict()). */
export function looseObjects(schema: unknown, path: PathKey[] = [], depth = 0): string[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  const found: string[] = [];
  if (def.type === "object") {
    const catchall = def.catchall ? defOf(def.catchall).type : undefined;
    if (catchall !== "never") found.push(path.join(".") || "(root)");
    for (const [key, field] of Object.entries(def.shape as Record<string, unknown>)) found.push(...looseObjects(field, [...path, key], depth + 1));
    return found;
  }
  for (const key of ["innerType", "in", "element", "valueType"]) if (def[key]) found.push(...looseObjects(def[key], [...path, key === "element" ? 0 : ""].filter((p) => p !== ""), depth + 1));
  if (def.type === "union") for (const o of def.options as unknown[]) found.push(...looseObjects(o, path, depth + 1));
  return found;
}

/** Leaves of a sample value (paths to primitives), to corrupt one at a time. */
export function valueLeaves(value: unknown, path: PathKey[] = []): { path: PathKey[]; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => valueLeaves(v, [...path, i]));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([k, v]) => valueLeaves(v, [...path, k]));
  }
  return [{ path, value }];
}

export function setAt(value: unknown, path: PathKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<PathKey, unknown>;
  copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

export const HUGE_STRING = "x".repeat(100_000);

/** Values the schemas' types allow but Postgres refuses (a 500 if they get through): refused at the boundary. */
export const NUL_BYTE = "\u0000";
export const INT4_OVERFLOW = 2 ** 31;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T/;

/** Malformed replacements for one leaf, by what the leaf currently holds. */
export function corruptions(leaf: unknown): { label: string; value: unknown }[] {
  const common = [
    { label: "null", value: null },
    { label: "array", value: [leaf] },
    { label: "object", value: { __probe: true } },
    { label: "huge string", value: HUGE_STRING },
  ];
  if (typeof leaf === "number") {
    return [
      ...common,
      { label: "negative", value: -1 },
      { label: "NaN", value: Number.NaN },
      { label: "Infinity", value: Number.POSITIVE_INFINITY },
      { label: "string", value: "1" },
      { label: "2^31", value: INT4_OVERFLOW },
    ];
  }
  if (typeof leaf === "string") {
    const dates = ISO_DAY.test(leaf) ? [{ label: "year 0000", value: "0000-01-01" }] : ISO_DATETIME.test(leaf) ? [{ label: "year 0000", value: "0000-01-01T00:00:00.000Z" }] : [];
    return [
      ...common,
      { label: "number", value: 12 },
      { label: "NaN", value: Number.NaN },
      { label: "boolean", value: true },
      { label: "NUL byte", value: `${leaf}${NUL_BYTE}x` },
      ...dates,
    ];
  }
  if (leaf instanceof Date) return [...common, { label: "year 0000", value: new Date("0000-01-01T00:00:00.000Z") }];
  if (typeof leaf === "boolean") return [...common, { label: "string", value: "true" }, { label: "number", value: 1 }];
  return common;
}

/** Whole-input replacements: wrong top-level shapes. */
export const TOP_LEVEL_CORRUPTIONS: { label: string; value: unknown }[] = [
  { label: "null", value: null },
  { label: "number", value: 42 },
  { label: "NaN", value: Number.NaN },
  { label: "huge string", value: HUGE_STRING },
  { label: "array", value: [{ __probe: true }] },
  { label: "empty object", value: {} },
];
