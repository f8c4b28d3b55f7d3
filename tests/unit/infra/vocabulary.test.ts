import { describe, expect, it } from "vitest";
import { membershipRole, orderLineStatus, orderStatus, postingStatus, requestStatus, restaurants, sendChannel } from "@/db/schema";
import { LOCALES, ORDER_LINE_STATUSES, ORDER_STATUSES, POSTING_STATUSES, REQUEST_STATUSES, ROLES, SEND_CHANNELS } from "@/vocabulary/constants";
import { compareQuantities, decimalSign, positiveQuantity, quantityDifference, remainingQuantity } from "@/vocabulary/quantity";
import { storedQuantity } from "@/server/validation";

describe("shared vocabulary (vocabulary/constants.ts)", () => {
  it("is what the database enums are made of", () => {
    expect(orderStatus.enumValues).toEqual([...ORDER_STATUSES]);
    expect(orderLineStatus.enumValues).toEqual([...ORDER_LINE_STATUSES]);
    expect(requestStatus.enumValues).toEqual([...REQUEST_STATUSES]);
    expect(postingStatus.enumValues).toEqual([...POSTING_STATUSES]);
    expect(membershipRole.enumValues).toEqual([...ROLES]);
    expect(sendChannel.enumValues).toEqual([...SEND_CHANNELS]);
    expect(restaurants.locale.enumValues).toEqual([...LOCALES]);
  });
});

describe("decimal quantities (vocabulary/quantity.ts)", () => {
  it("compares exactly, negative stock and Poster's precision included", () => {
    expect(compareQuantities("2.5", "2.50")).toBe(0);
    expect(compareQuantities("0.1", "0.3")).toBe(-1);
    expect(compareQuantities("-22", "0")).toBe(-1);
    expect(compareQuantities("100000.001", "100000")).toBe(1);
    expect(compareQuantities("1.0E-5", "0")).toBe(1);
    expect(() => compareQuantities("abc", "1")).toThrow(RangeError);
  });

  it("subtracts without float noise", () => {
    expect(remainingQuantity("2.5", "0.3")).toBe("2.2");
    expect(remainingQuantity("1", "3")).toBe("0");
    expect(remainingQuantity("120000", "0.001")).toBe("119999.999");
    expect(quantityDifference("2.2", "2.5")).toBe("-0.3");
  });

  it("tells signs and positive typed quantities", () => {
    expect([decimalSign("0.000"), decimalSign("-1.5"), decimalSign("0.001"), decimalSign("x")]).toEqual([0, -1, 1, null]);
    expect([positiveQuantity("2,5"), positiveQuantity("0"), positiveQuantity(""), positiveQuantity("1.2345")]).toEqual(["2.5", null, null, null]);
  });

  it("one input schema for stored quantities: comma accepted, canonical out, numeric(14,3) bounds", () => {
    expect(storedQuantity.parse(" 2,50 ")).toBe("2.5");
    expect(storedQuantity.parse("007")).toBe("7");
    expect(storedQuantity.parse("99999999999.999")).toBe("99999999999.999");
    for (const bad of ["-1", "1.2345", "123456789012", "1e3", ""]) expect(storedQuantity.safeParse(bad).success, bad).toBe(false);
  });
});
