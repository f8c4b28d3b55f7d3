/**
 * Decimal quantities, the one home: non-negative decimals with at most 3 places (numeric(14,3) in Postgres), typed on
 * phones with a comma or a dot, sent by Poster in any precision or exponent form. Arithmetic is done on integer
 * thousandths (bigint), never on floats. Imports nothing: the server (validation, Poster, sync, purchasing) and the
 * UI (checklist, receiving, order lines) use the same rules.
 */
export const QUANTITY_SCALE = 3;
/** A sane upper bound for one line: no storeroom orders a million of anything. */
export const MAX_QUANTITY = "100000";

const SCALE = 10n ** BigInt(QUANTITY_SCALE);
const MAX_THOUSANDTHS = BigInt(MAX_QUANTITY) * SCALE;

export type QuantityError = "format" | "precision" | "range";
export type ParsedQuantity = { ok: true; value: string } | { ok: false; error: QuantityError };

/** "2,5" → "2.5", "" → "0", "007.500" → "7.5"; rejects negatives, letters, more than 3 decimals, over the max. */
export function parseQuantity(raw: string): ParsedQuantity {
  const parsed = parseThousandths(raw);
  if (typeof parsed !== "bigint") return { ok: false, error: parsed };
  if (parsed > MAX_THOUSANDTHS) return { ok: false, error: "range" };
  return { ok: true, value: fromThousandths(parsed) };
}

/** The digits of a non-negative decimal with at most 3 places as thousandths, with no upper bound. */
function parseThousandths(raw: string): bigint | "format" | "precision" {
  const text = raw.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (text === "") return 0n;
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === "" && !m[2])) return "format";
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > QUANTITY_SCALE) return "precision";
  return BigInt(m[1] || "0") * SCALE + BigInt(frac.padEnd(QUANTITY_SCALE, "0") || "0");
}

/** A stored quantity (numeric(14,3), any size) as thousandths, for comparing and subtracting. */
function storedThousandths(value: string): bigint {
  const parsed = parseThousandths(value);
  if (typeof parsed !== "bigint") throw new RangeError(`Not a quantity: ${value}`);
  return parsed;
}

export function toThousandths(value: string): bigint {
  const parsed = parseQuantity(value);
  if (!parsed.ok) throw new RangeError(`Not a quantity: ${value}`);
  const [whole, frac = ""] = parsed.value.split(".");
  return BigInt(whole!) * SCALE + BigInt(frac.padEnd(QUANTITY_SCALE, "0"));
}

export function fromThousandths(n: bigint): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(QUANTITY_SCALE, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export function isZeroQuantity(value: string): boolean {
  return toThousandths(value) === 0n;
}

/** The stepper's step: whole pieces, half kilos and litres. */
export function stepFor(unit: string): string {
  return /^(kg|l|кг|л|g|ml|г|мл)$/i.test(unit.trim()) ? "0.5" : "1";
}

/** One stepper tap: clamps at 0 and at the max; an invalid current value counts as 0. */
export function stepQuantity(current: string, step: string, direction: 1 | -1): string {
  const parsed = parseQuantity(current);
  const base = parsed.ok ? toThousandths(parsed.value) : 0n;
  const delta = toThousandths(step);
  // Step to the next multiple of the step, so 2.3 + 0.5 → 2.5 and 2.3 − 0.5 → 2.
  const rem = base % delta;
  let next = direction === 1 ? base - rem + delta : rem === 0n ? base - delta : base - rem;
  if (next < 0n) next = 0n;
  if (next > MAX_THOUSANDTHS) next = MAX_THOUSANDTHS;
  return fromThousandths(next);
}

/** a < b: -1, a = b: 0, a > b: 1, exactly, for any decimals (negative stock too, any precision Poster sent). */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = normalizeDecimal(a);
  const y = normalizeDecimal(b);
  if (x === null || y === null) throw new RangeError(`Not a decimal: ${x === null ? a : b}`);
  const places = Math.max(x.split(".")[1]?.length ?? 0, y.split(".")[1]?.length ?? 0);
  const scaled = (d: string) => BigInt(d.replace(".", "") + "0".repeat(places - (d.split(".")[1]?.length ?? 0)));
  const diff = scaled(x) - scaled(y);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** a − b, never below zero ("what is still to come": ordered minus received). */
export function remainingQuantity(ordered: string, received: string): string {
  const rest = storedThousandths(ordered) - storedThousandths(received);
  return fromThousandths(rest > 0n ? rest : 0n);
}

/** a − b, signed ("2.5" − "3" = "-0.5"): over and short deliveries. */
export function quantityDifference(a: string, b: string): string {
  return fromThousandths(storedThousandths(a) - storedThousandths(b));
}

/** A typed quantity that is a valid one and more than zero, in canonical form; null otherwise. */
export function positiveQuantity(raw: string): string | null {
  const parsed = parseQuantity(raw);
  return parsed.ok && parsed.value !== "0" ? parsed.value : null;
}

// Poster's decimals.

/**
 * Poster sends quantities as decimal strings with varying precision ("443.45000", "-22.00", "-1.56"), sometimes
 * in PHP's exponent form ("1.0E-5", "1E-5") and sometimes as numbers. The app stores them in Postgres numeric,
 * so we keep them as exact, normalized decimal strings ("443.45", "-22", "0.00001") instead of floats.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/** Beyond this an exponent is not a quantity but garbage (and would build an absurdly long string). */
const MAX_EXPONENT = 40;

export function normalizeDecimal(value: string | number): string | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    // String() prints 1e-7 and 1e21 in exponent form, which the parser below shifts exactly.
    text = String(value);
  } else {
    text = value.trim().replace(",", ".");
  }
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, signPart = "", wholePart = "", fracPart = "", expPart] = m;
  if (wholePart === "" && fracPart === "") return null;
  const exponent = expPart === undefined ? 0 : Number(expPart);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;

  // All digits, and where the decimal point falls among them once the exponent is applied.
  let digits = wholePart + fracPart;
  let point = wholePart.length + exponent;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits = digits + "0".repeat(point - digits.length);
  }
  const whole = (digits.slice(0, point) || "0").replace(/^0+(?=\d)/, "");
  const frac = digits.slice(point).replace(/0+$/, "");
  const isZero = /^0*$/.test(whole) && frac === "";
  const sign = signPart === "-" && !isZero ? "-" : "";
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

/** 10^11 with three decimals: the first value numeric(14,3) cannot hold. */
const QUANTITY_LIMIT = 10n ** 14n;

/**
 * A Poster quantity as Postgres prints numeric(14,3): exactly three decimals, rounded half away from zero like
 * Postgres does. Comparing in this form is what lets an unchanged sync skip the write ("1.23456" is stored as
 * "1.235" and must compare equal to it next time). Null when it is not a decimal or does not fit numeric(14,3).
 */
export function toQuantity3(value: string | number): string | null {
  const d = normalizeDecimal(value);
  if (d === null) return null;
  const negative = d.startsWith("-");
  const [whole = "0", frac = ""] = (negative ? d.slice(1) : d).split(".");
  let scaled = BigInt(whole + frac.padEnd(3, "0").slice(0, 3));
  if (Number(frac[3] ?? "0") >= 5) scaled += 1n;
  // numeric(14,3) holds 11 integer digits: a larger figure would make Postgres refuse the whole sync.
  if (scaled >= QUANTITY_LIMIT) return null;
  if (scaled === 0n) return "0.000";
  const digits = scaled.toString().padStart(4, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/** The sign of any decimal Poster or a form may send (-1, 0, 1), exactly; null when it is not a decimal. */
/** A non-negative decimal with up to 11 integer digits and 3 places: what numeric(14,3) holds (the orders' input). */
export const STORED_QUANTITY_PATTERN = /^\d{1,11}(\.\d{1,3})?$/;

export function decimalSign(value: string | number): -1 | 0 | 1 | null {
  const d = normalizeDecimal(value);
  if (d === null) return null;
  return d === "0" ? 0 : d.startsWith("-") ? -1 : 1;
}
