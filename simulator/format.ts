import { minorToMajor } from "@/server/poster/money";
import { QTY_SCALE } from "./types";

/** Poster prints quantities with 5 decimals: "443.45000", "-908.00000". */
export function fmtQty(scaled: number): string {
  const sign = scaled < 0 ? "-" : "";
  const abs = Math.abs(Math.round(scaled));
  return `${sign}${Math.floor(abs / QTY_SCALE)}.${String(abs % QTY_SCALE).padStart(5, "0")}`;
}

/** A decimal input ("2.5", 3, "1,25") → scaled integer, or null when not a number. */
export function parseQtyScaled(value: unknown): number | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const n = Number(typeof value === "string" ? value.trim().replace(",", ".") : value);
  if (!Number.isFinite(n) || (typeof value === "string" && value.trim() === "")) return null;
  return Math.round(n * QTY_SCALE);
}

/** Minor units as Poster's read endpoints print them: an integer string. */
export const fmtMinor = (minor: number): string => String(Math.round(minor));

/** Major units as getSupply prints them: "6698828.90". */
export const fmtMajor = (minor: number): string => minorToMajor(Math.round(minor));

export const flag = (b: boolean): "0" | "1" => (b ? "1" : "0");

/** Qty (scaled) × unit price (minor) → line total in minor units. */
export const lineTotalMinor = (numScaled: number, unitMinor: number): number => Math.round((numScaled * unitMinor) / QTY_SCALE);
