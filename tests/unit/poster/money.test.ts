import { describe, expect, it } from "vitest";
import { supplyBody } from "@/server/poster/client";
import { normalizeDecimal } from "@/vocabulary/quantity";
import { redactSecrets } from "@/server/poster/errors";
import { formatPosterDateTime, formatPosterYmd, majorToMinor, minorToMajor } from "@/server/poster/money";
import { parseBracketEntries } from "@/simulator/body";

describe("money", () => {
  it("converts major ↔ minor exactly", () => {
    expect(majorToMinor("6698828.90")).toBe(669882890);
    expect(majorToMinor("120.5")).toBe(12050);
    expect(majorToMinor(0.1 + 0.2)).toBe(30);
    expect(majorToMinor("1,25")).toBe(125);
    expect(majorToMinor("0.005")).toBe(1);
    expect(majorToMinor("-3")).toBe(-300);
    expect(() => majorToMinor("abc")).toThrow(RangeError);
    expect(minorToMajor(12050)).toBe("120.50");
    expect(minorToMajor(5)).toBe("0.05");
    expect(minorToMajor(-5)).toBe("-0.05");
    expect(minorToMajor(669882890)).toBe("6698828.90");
  });

  it("formats supply dates in the account's timezone, not the server's", () => {
    const d = new Date("2026-02-11T22:30:05Z");
    expect(formatPosterDateTime(d, "Europe/Moscow")).toBe("2026-02-12 01:30:05");
    expect(formatPosterDateTime(d, "UTC")).toBe("2026-02-11 22:30:05");
    expect(formatPosterDateTime(new Date("2026-02-11T00:00:00Z"), "UTC")).toBe("2026-02-11 00:00:00");
    expect(formatPosterYmd(d, "Europe/Moscow")).toBe("20260212");
    expect(formatPosterYmd(d, "America/New_York")).toBe("20260211");
  });
});

describe("decimals", () => {
  it("normalizes Poster's decimal strings exactly", () => {
    expect(normalizeDecimal("443.45000")).toBe("443.45");
    expect(normalizeDecimal("-908.00000")).toBe("-908");
    expect(normalizeDecimal("-0.00")).toBe("0");
    expect(normalizeDecimal("0012.50")).toBe("12.5");
    expect(normalizeDecimal("3,5")).toBe("3.5");
    expect(normalizeDecimal(2.5)).toBe("2.5");
    expect(normalizeDecimal("12abc")).toBeNull();
    expect(normalizeDecimal("")).toBeNull();
  });
});

describe("createSupply body", () => {
  it("builds the nested form with createSupply's type enum and per-unit major prices", () => {
    const body = supplyBody({
      storageId: 3, supplierId: 9, date: new Date("2026-02-11T09:05:00Z"), timeZone: "Europe/Moscow", comment: "c",
      lines: [{ id: 7, num: "2.50", pricePerUnitMinor: 12050 }, { id: 8, type: "product", num: 1, pricePerUnitMinor: 99 }],
    });
    expect(body).toEqual({
      supply: { date: "2026-02-11 12:05:00", supplier_id: "9", storage_id: "3", supply_comment: "c" },
      ingredient: [{ id: "7", type: "4", num: "2.5", sum: "120.50" }, { id: "8", type: "1", num: "1", sum: "0.99" }],
    });
    expect(() => supplyBody({ storageId: 1, supplierId: 1, date: new Date(), lines: [{ id: 1, num: 1, pricePerUnitMinor: 1 }] })).toThrow(/timeZone/);
    expect(() => supplyBody({ storageId: 1, supplierId: 1, date: "2026-02-11 10:00:00", lines: [{ id: 1, num: 0, pricePerUnitMinor: 1 }] })).toThrow(/num/);
  });
});

describe("helpers", () => {
  it("parses PHP bracket keys into nested objects and arrays", () => {
    expect(parseBracketEntries([["supply[date]", "d"], ["ingredient[0][id]", "1"], ["ingredient[1][id]", "2"], ["tags[]", "a"], ["tags[]", "b"], ["__proto__[x]", "y"]])).toEqual({
      supply: { date: "d" }, ingredient: [{ id: "1" }, { id: "2" }], tags: ["a", "b"],
    });
  });

  it("redacts tokens, token query params and given secrets", () => {
    const t = "100001:5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b";
    const out = redactSecrets(`GET http://x/api/m?format=json&token=${t}&a=1 failed; secret s3cr3t; raw ${t}`, ["s3cr3t"]);
    expect(out).not.toContain("5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b");
    expect(out).not.toContain("s3cr3t");
    expect(out).toContain("a=1");
  });
});
