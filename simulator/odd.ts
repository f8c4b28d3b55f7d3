/**
 * The odd values live Poster accounts were seen sending (`SimFaults.oddValues`): null and "" in optional numeric
 * fields, PHP's exponent form for numbers, and now and then a row nobody can read. Everything but the unreadable
 * rows keeps its value, so a tolerant client reads the same account as without the knob.
 */
type Row = Record<string, unknown>;

/** PHP prints some floats as "1.0E-5"; the value stays the same. */
export function phpExponent(decimal: string): string {
  const n = Number(decimal);
  if (n === 0) return "0.0E+0";
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.startsWith("-") ? exponent : `+${exponent.replace("+", "")}`}`;
}

/** Per row, by position: the fields a live account left empty or printed oddly. */
export function oddIngredients(rows: Row[]): unknown[] {
  const out: unknown[] = rows.map((row, i) => {
    switch (i % 5) {
      case 0: return { ...row, ingredient_weight: null, time_notif: "" };
      case 1: return { ...row, limit_value: "", ingredient_barcode: null };
      case 2: return { ...row, ingredient_left: null, partial_write_off: null };
      case 3: return { ...row, ingredient_left: phpExponent(String(row.ingredient_left)) };
      default: return { ...row, limit_value: null, ingredient_weight: "" };
    }
  });
  // Unreadable: the second ingredient's threshold, and a row without an id.
  if (out.length > 1) out[1] = { ...(out[1] as Row), limit_value: "n/a" };
  out.push({ ingredient_id: "", ingredient_name: null, ingredient_unit: "kg", delete: "0" });
  return out;
}

export function oddLeftovers(rows: Row[]): unknown[] {
  const out: unknown[] = rows.map((row, i) => {
    switch (i % 4) {
      case 0: return { ...row, limit_value: "", prime_cost: String(row.prime_cost) };
      case 1: return { ...row, storage_ingredient_sum: null, storage_ingredient_sum_netto: "" };
      case 2: return { ...row, ingredient_left: null };
      default:
        return "storage_ingredient_left" in row
          ? { ...row, storage_ingredient_left: phpExponent(String(row.storage_ingredient_left)) }
          : { ...row, ingredient_left: phpExponent(String(row.ingredient_left)) };
    }
  });
  // Unreadable: the first row's own quantity.
  if (out.length > 0 && "storage_ingredient_left" in (out[0] as Row)) out[0] = { ...(out[0] as Row), storage_ingredient_left: "—" };
  return out;
}

export function oddSuppliers(rows: Row[]): unknown[] {
  return [...rows.map((row, i) => (i % 3 === 0 ? { ...row, supplier_phone: null, supplier_code: null, delete: null } : row)), null];
}

export function oddStorages(rows: Row[]): unknown[] {
  return rows.map((row) => ({ ...row, storage_adress: null }));
}
