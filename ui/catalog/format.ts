/** "12.500" (numeric from Postgres) → "12.5"; null → "". */
export function quantityText(value: string | null): string {
  if (value === null) return "";
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}

export const KNOWN_UNITS = ["kg", "l", "p", "pcs"] as const;

/** A known unit in the reader's language, free text as typed. */
export function unitLabel(unit: string, t: (key: string) => string): string {
  return (KNOWN_UNITS as readonly string[]).includes(unit) ? t(`units.${unit}`) : unit;
}

export const inputClass = "h-12 w-full rounded-lg border border-slate-300 bg-white px-3 text-base disabled:bg-slate-100";
export const buttonClass = "h-12 rounded-lg px-4 text-base font-semibold disabled:opacity-60";
export const primaryButton = `${buttonClass} bg-emerald-600 text-white`;
export const secondaryButton = `${buttonClass} border border-slate-300 bg-white text-slate-800`;
