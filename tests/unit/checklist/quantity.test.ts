import { describe, expect, it } from "vitest";
import { fromThousandths, parseQuantity, stepFor, stepQuantity, toThousandths } from "@/vocabulary/quantity";

describe("parseQuantity", () => {
  it.each([
    ["2,5", "2.5"],
    ["2.5", "2.5"],
    [" 007.500 ", "7.5"],
    ["", "0"],
    ["0", "0"],
    [".5", "0.5"],
    ["3.", "3"],
    ["1.50000", "1.5"],
    ["1 000", "1000"],
    ["0.125", "0.125"],
    ["100000", "100000"],
  ])("%j → %j", (raw, value) => {
    expect(parseQuantity(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["-1", "format"],
    ["abc", "format"],
    ["1e3", "format"],
    ["1,2,3", "format"],
    [".", "format"],
    ["1.2345", "precision"],
    ["100000.001", "range"],
  ])("%j is refused (%s)", (raw, error) => {
    expect(parseQuantity(raw)).toEqual({ ok: false, error });
  });
});

describe("decimal arithmetic on thousandths", () => {
  it("round-trips without float error", () => {
    expect(fromThousandths(toThousandths("0.1") + toThousandths("0.2"))).toBe("0.3");
    expect(fromThousandths(toThousandths("10") - toThousandths("2.5") - toThousandths("3.75"))).toBe("3.75");
    expect(fromThousandths(-1500n)).toBe("-1.5");
  });
});

describe("stepper", () => {
  it("steps by 0.5 for kg and l, 1 for pieces", () => {
    expect(stepFor("kg")).toBe("0.5");
    expect(stepFor("л")).toBe("0.5");
    expect(stepFor("p")).toBe("1");
  });

  it("moves to the next multiple and clamps at 0", () => {
    expect(stepQuantity("2", "0.5", 1)).toBe("2.5");
    expect(stepQuantity("2.3", "0.5", 1)).toBe("2.5");
    expect(stepQuantity("2.3", "0.5", -1)).toBe("2");
    expect(stepQuantity("2.5", "0.5", -1)).toBe("2");
    expect(stepQuantity("0", "1", -1)).toBe("0");
    expect(stepQuantity("", "1", 1)).toBe("1");
    expect(stepQuantity("junk", "1", 1)).toBe("1");
    expect(stepQuantity("100000", "1", 1)).toBe("100000");
  });
});
