/** "12.500" (numeric from Postgres) → "12.5"; null → "". */
export function quantityText(value: string | null): string {
  if (value === null) return "";
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}
