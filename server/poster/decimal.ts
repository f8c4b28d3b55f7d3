/**
 * Poster sends quantities as decimal strings with varying precision ("443.45000", "-22.00", "-1.56")
 * and sometimes as numbers. The app stores them in Postgres numeric, so we keep them as exact,
 * normalized decimal strings ("443.45", "-22", "0") instead of floats.
 */
const DECIMAL = /^([+-]?)(\d+)?(?:\.(\d+))?$/;

export function normalizeDecimal(value: string | number): string | null {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    text = Math.abs(value) < 1e-6 && value !== 0 ? value.toFixed(12) : String(value);
  } else {
    text = value.trim().replace(",", ".");
  }
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined)) return null;
  const whole = (m[2] ?? "0").replace(/^0+(?=\d)/, "");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const isZero = /^0*$/.test(whole) && frac === "";
  const sign = m[1] === "-" && !isZero ? "-" : "";
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}
