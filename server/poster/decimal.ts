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
