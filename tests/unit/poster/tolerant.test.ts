import { describe, expect, it } from "vitest";
import { normalizeDecimal } from "@/vocabulary/quantity";
import { majorToMinor } from "@/server/poster/money";
import type { PosterSkippedRow } from "@/server/poster/schemas";
import { CAFE, clientFor, newSim } from "./support";

/** A fetch answering each method with a fixed `response`, as a live account might. */
function answering(responses: Record<string, unknown>): typeof fetch {
  return async (input) => {
    const method = new URL(String(input)).pathname.split("/").pop() ?? "";
    return new Response(JSON.stringify({ response: responses[method] }));
  };
}

const whisky = {
  ingredient_id: "91", ingredient_name: "Whisky", ingredient_barcode: "", category_id: "3", ingredient_left: "443.45000",
  limit_value: "0", ingredient_unit: "l", ingredient_weight: 0, ingredients_type: "1", partial_write_off: "0", delete: "0", hidden: "0",
};
const eggs = {
  ingredient_id: "76", ingredient_name: "Eggs", ingredient_left: "-1678.00000", storage_ingredient_left: "-12.00000", limit_value: "0",
  ingredient_unit: "p", ingredients_type: "1", storage_ingredient_sum: "0", prime_cost: 174, prime_cost_netto: 145, hidden: "0",
};

describe("Poster decimals in every form Poster prints them", () => {
  it("reads PHP's exponent forms exactly, in strings and numbers", () => {
    expect(normalizeDecimal("1E-5")).toBe("0.00001");
    expect(normalizeDecimal("1.0E-5")).toBe("0.00001");
    expect(normalizeDecimal("-2.5e-3")).toBe("-0.0025");
    expect(normalizeDecimal("2.5E+3")).toBe("2500");
    expect(normalizeDecimal("1.25E2")).toBe("125");
    expect(normalizeDecimal(1e-7)).toBe("0.0000001");
    expect(normalizeDecimal(1e21)).toBe("1000000000000000000000");
    expect(normalizeDecimal("0E-10")).toBe("0");
    expect(normalizeDecimal("1E999")).toBeNull();
    expect(normalizeDecimal("E5")).toBeNull();
    expect(normalizeDecimal("1E")).toBeNull();
    expect(majorToMinor("1.5E+2")).toBe(15000);
  });
});

describe("Poster client: one odd value does not fail a list", () => {
  it("accepts null and empty strings in optional numeric fields, and exponents, in ingredients and leftovers", async () => {
    const client = clientFor(newSim(), {
      fetch: answering({
        "menu.getIngredients": [
          { ...whisky, ingredient_weight: null, limit_value: "", ingredient_left: null, ingredients_type: "" },
          { ...whisky, ingredient_id: "92", ingredient_name: "Rum", ingredient_left: "1E-5", limit_value: null, category_id: null },
        ],
        "storage.getStorageLeftovers": [
          { ...eggs, ingredient_left: null, limit_value: "", storage_ingredient_sum: null, prime_cost: "" },
          { ...eggs, ingredient_id: "77", storage_ingredient_left: "1.0E-5", storage_ingredient_sum: "1.2E+4", prime_cost: "1.74E2" },
          { ...eggs, ingredient_id: "78", storage_ingredient_left: "" },
        ],
      }),
    });
    const skipped: PosterSkippedRow[] = [];
    const ingredients = await client.getIngredients({ onSkip: (r) => void skipped.push(r) });
    expect(ingredients).toEqual([
      expect.objectContaining({ id: 91, weight: 0, limitValue: "0", totalLeft: "0", type: 1, categoryId: 3 }),
      expect.objectContaining({ id: 92, totalLeft: "0.00001", limitValue: "0", categoryId: null }),
    ]);
    const leftovers = await client.getStorageLeftovers({ storageId: 1 }, { onSkip: (r) => void skipped.push(r) });
    expect(leftovers).toEqual([
      expect.objectContaining({ ingredientId: 76, totalLeft: "0", limitValue: "0", sumMinor: 0, primeCostMinor: null, storageLeft: "-12" }),
      expect.objectContaining({ ingredientId: 77, storageLeft: "0.00001", sumMinor: 12000, primeCostMinor: 174 }),
      // Left empty by Poster: "no figure", never a made-up zero.
      expect.objectContaining({ ingredientId: 78, storageLeft: null }),
    ]);
    expect(skipped).toEqual([]);
  });

  it("skips a row that is really unreadable and names it; the other rows come back", async () => {
    const token = CAFE.token;
    const client = clientFor(newSim(), {
      fetch: answering({
        "menu.getIngredients": [
          whisky,
          { ...whisky, ingredient_id: "", ingredient_name: "No id" },
          { ...whisky, ingredient_id: "93", limit_value: "n/a" },
          null,
          { ...whisky, ingredient_id: "94", ingredient_name: null },
          { ...whisky, ingredient_id: "95", ingredient_left: token },
          { ...whisky, ingredient_id: "3000000000", ingredient_name: "id beyond int4" },
        ],
      }),
    });
    const skipped: PosterSkippedRow[] = [];
    const rows = await client.getIngredients({ onSkip: (r) => void skipped.push(r) });
    expect(rows.map((r) => r.id)).toEqual([91]);
    expect(skipped.map((s) => [s.index, s.id])).toEqual([[1, null], [2, 93], [3, null], [4, 94], [5, 95], [6, null]]);
    expect(skipped[1]?.reason).toBe('menu.getIngredients row 3 (id 93): limit_value: not a decimal: "n/a"');
    expect(skipped[3]?.reason).toMatch(/row 5 \(id 94\): name: no name/);
    expect(skipped[2]?.reason).toMatch(/row 4: not an object/);
    // A reason never carries a token, whatever Poster put in the field.
    for (const s of skipped) {
      expect(s.reason).not.toContain(token.split(":")[1]);
      expect(s.reason.length).toBeLessThan(200);
    }
  });

  it("drops NUL bytes from text (Postgres refuses them) and reads PHP's empty array as no currency", async () => {
    const client = clientFor(newSim(), {
      fetch: answering({
        "storage.getSuppliers": [{ supplier_id: "1", supplier_name: "Veg\u0000 Co", supplier_comment: "a\u0000b", delete: null }],
        "settings.getAllSettings": { COMPANY_ID: "demo", company_name: "Demo", timezones: "Europe/Kiev", lang: "ru", currency: [] },
      }),
    });
    expect(await client.getSuppliers()).toEqual([expect.objectContaining({ id: 1, name: "Veg Co", comment: "ab", deleted: false })]);
    expect((await client.getAllSettings()).currency).toEqual({ iso: "", symbol: "", name: "", code: "" });
  });
});
