/**
 * Checklist quantities: non-negative decimals with at most 3 places (numeric(14,3) in Postgres), typed on phones
 * with a comma or a dot. Arithmetic is done on integer thousandths (bigint), never on floats. No server imports:
 * the checklist UI uses the same rules.
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
  const text = raw.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (text === "") return { ok: true, value: "0" };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === "" && !m[2])) return { ok: false, error: "format" };
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > QUANTITY_SCALE) return { ok: false, error: "precision" };
  const thousandths = BigInt(m[1] || "0") * SCALE + BigInt(frac.padEnd(QUANTITY_SCALE, "0") || "0");
  if (thousandths > MAX_THOUSANDTHS) return { ok: false, error: "range" };
  return { ok: true, value: fromThousandths(thousandths) };
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
