import { z } from "zod";
import { normalizeDecimal, STORED_QUANTITY_PATTERN } from "@/vocabulary/quantity";

/**
 * The input vocabulary every boundary shares: text, calendar days and integer ids as Postgres can hold them. zod's
 * own types let through values Postgres refuses with a 500 (a NUL byte in text, year 0000, an int4 above 2^31-1),
 * so every procedure input builds on these instead of bare z.string() / z.iso.date() / z.number(). Plain zod, no
 * database imports: client code validates with them too.
 */

/** Postgres text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"). */
const hasNoNul = (s: string) => !s.includes("\u0000");
const NUL_MESSAGE = "Text must not contain a NUL character.";

/**
 * Text a person typed: trimmed (unless `trim: false`), at most `max` characters, no NUL byte. `min: 1` makes it
 * required ("Required." for a blank value).
 */
export function text(max: number, options: { min?: number; trim?: boolean } = {}) {
  const { min = 0, trim = true } = options;
  let schema = z.string();
  if (trim) schema = schema.trim();
  if (min > 0) schema = schema.min(min, min === 1 ? "Required." : `At least ${min} characters.`);
  return schema.max(max).refine(hasNoNul, NUL_MESSAGE);
}

/** A password as typed: never trimmed (spaces count), no NUL byte. Only its hash is stored. */
export const password = (max: number) => text(max, { min: 1, trim: false });

/** The calendar days the app deals in; outside it a date is a typo (Postgres has no year 0000 at all). */
export const FIRST_DAY = "2000-01-01";
export const LAST_DAY = "2100-12-31";

/** A calendar day, "YYYY-MM-DD", from 2000 to 2100. */
export const calendarDay = z.iso
  .date()
  .refine((day) => day >= FIRST_DAY && day <= LAST_DAY, "Pick a date between 2000 and 2100.");

/** The largest Postgres integer (int4, serial). */
export const INT4_MAX = 2_147_483_647;

/** A positive integer stored in an int4 column: order numbers (history cursors), versions. */
export const positiveInt4 = z.number().int().positive().max(INT4_MAX);

/**
 * A non-negative quantity as Postgres numeric(14,3) stores it (at most 11 integer digits and 3 decimals), a comma
 * accepted (Russian keyboards), answered in canonical form ("2,50" → "2.5"). Par levels and order lines.
 */
export const storedQuantity = z
  .string()
  .trim()
  .transform((s) => s.replace(",", "."))
  .pipe(z.string().regex(STORED_QUANTITY_PATTERN, "Enter a non-negative number with at most 3 decimals."))
  .transform((s) => normalizeDecimal(s) ?? s);
