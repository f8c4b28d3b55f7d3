/**
 * Money and date helpers for Poster.
 * Poster reads money in minor units (kopecks, cents, tiyin) except a few places in major units
 * (createSupply `sum` input, getSupply output). All supported currencies use 2 fraction digits.
 */

import { normalizeDecimal } from "@/vocabulary/quantity";
import { wallClockParts } from "@/server/time-zone";

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact major→minor conversion from a decimal string or number ("6698828.90" → 669882890, "1.5E+2" → 15000). */
export function majorToMinor(value: string | number, fractionDigits = 2): number {
  const text = normalizeDecimal(value);
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  const sign = match[1] === "-" ? -1 : 1;
  const whole = match[2] || "0";
  const frac = match[3] ?? "";
  // Round half away from zero on the first dropped digit, like PHP's round().
  const kept = frac.slice(0, fractionDigits).padEnd(fractionDigits, "0");
  const roundUp = Number(frac.charAt(fractionDigits) || "0") >= 5 ? 1 : 0;
  const minor = Number(whole) * 10 ** fractionDigits + Number(kept || "0") + roundUp;
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Amount out of range: ${JSON.stringify(value)}`);
  return minor === 0 ? 0 : sign * minor;
}

/** Minor→major as a fixed decimal string (12050 → "120.50"), the form Poster's inputs take. */
export function minorToMajor(minor: number, fractionDigits = 2): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Minor amount must be an integer: ${minor}`);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (fractionDigits === 0) return `${sign}${abs}`;
  const base = 10 ** fractionDigits;
  const whole = Math.floor(abs / base);
  const frac = String(abs % base).padStart(fractionDigits, "0");
  return `${sign}${whole}.${frac}`;
}

/**
 * A Poster timestamp ("Y-m-d H:i:s") as wall-clock time in the account's IANA timezone.
 * Supply dates are naive local times in Poster, so the server's own timezone must never leak in.
 */
export function formatPosterDateTime(date: Date, timeZone: string): string {
  const p = wallClockParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A Poster report/list filter date ("Ymd") in the account's timezone. */
export function formatPosterYmd(date: Date, timeZone: string): string {
  const p = wallClockParts(date, timeZone);
  return `${p.year}${p.month}${p.day}`;
}

export const posterMoney = { majorToMinor, minorToMajor, formatPosterDateTime, formatPosterYmd };
