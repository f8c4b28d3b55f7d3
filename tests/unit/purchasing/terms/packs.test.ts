import { describe, expect, it } from "vitest";
import { checkMinimum } from "@/server/purchasing/terms/minimum";
import { roundToPacks } from "@/server/purchasing/terms/packs";

describe("pack rounding", () => {
  it("rounds up to whole packs", () => {
    expect(roundToPacks("5", { packSize: "2", multiple: null })).toEqual({ requested: "5", quantity: "6", packs: 3, step: "2", rounded: true });
    expect(roundToPacks("4", { packSize: "2", multiple: 1 })).toEqual({ requested: "4", quantity: "4", packs: 2, step: "2", rounded: false });
  });

  it("rounds to cases of several packs", () => {
    // 6-bottle cases of 0.5 l bottles: a step of 3 l.
    expect(roundToPacks("3.5", { packSize: "0.5", multiple: 6 })).toEqual({ requested: "3.5", quantity: "6", packs: 12, step: "3", rounded: true });
    // Pieces in cases of 6.
    expect(roundToPacks("7", { packSize: null, multiple: 6 })).toMatchObject({ quantity: "12", packs: null, rounded: true });
  });

  it("keeps decimals exact and leaves zero and unpacked products alone", () => {
    expect(roundToPacks("0.1", { packSize: "0.25", multiple: null })).toMatchObject({ quantity: "0.25", packs: 1 });
    expect(roundToPacks("0", { packSize: "2", multiple: null })).toMatchObject({ quantity: "0", rounded: false });
    expect(roundToPacks("2.5", { packSize: null, multiple: null })).toMatchObject({ quantity: "2.5", rounded: false, packs: null });
  });
});

describe("minimum order", () => {
  it("flags an order below the minimum amount, with what is missing", () => {
    // 2.5 kg at 400.00 + 3 pcs at 50.00 = 1150.00; minimum 1500.00.
    const check = checkMinimum([{ quantity: "2.5", priceMinor: 40000 }, { quantity: "3", priceMinor: 5000 }], { minAmountMinor: 150000, minQuantity: null });
    expect(check).toEqual({ below: true, amountMinor: 115000, unpricedLines: 0, quantity: "5.5", shortAmountMinor: 35000, shortQuantity: null });
    expect(checkMinimum([{ quantity: "4", priceMinor: 40000 }], { minAmountMinor: 150000, minQuantity: null }).below).toBe(false);
  });

  it("flags an order below the minimum quantity", () => {
    expect(checkMinimum([{ quantity: "7.5", priceMinor: null }], { minAmountMinor: null, minQuantity: "10" })).toMatchObject({ below: true, shortQuantity: "2.5" });
    expect(checkMinimum([{ quantity: "10", priceMinor: null }], { minAmountMinor: null, minQuantity: "10" }).below).toBe(false);
  });

  it("does not claim an amount shortfall it cannot know (unpriced lines)", () => {
    expect(checkMinimum([{ quantity: "1", priceMinor: 100 }, { quantity: "2", priceMinor: null }], { minAmountMinor: 150000, minQuantity: null })).toMatchObject({
      below: false,
      unpricedLines: 1,
      shortAmountMinor: null,
    });
    expect(checkMinimum([], { minAmountMinor: null, minQuantity: null }).below).toBe(false);
  });
});
