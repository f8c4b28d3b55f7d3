import { normalizeDecimal } from "@/server/poster";

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
