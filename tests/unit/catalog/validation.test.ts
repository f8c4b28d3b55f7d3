import { describe, expect, it } from "vitest";
import { emailInput, phoneInput, quantityInput, telegramInput } from "@/server/catalog/validation";

describe("catalogue input validation", () => {
  it.each([
    ["0", "0"],
    ["12", "12"],
    ["12.500", "12.5"],
    ["2,5", "2.5"],
    [" 007.010 ", "7.01"],
    ["0.001", "0.001"],
    ["99999999999.999", "99999999999.999"],
  ])("accepts the quantity %j as %j", (input, output) => {
    expect(quantityInput.parse(input)).toBe(output);
  });

  it.each(["-1", "1.2345", "", "abc", "1e3", "1.", ".5", "1 000", "123456789012", "NaN", "Infinity"])("refuses the quantity %j", (input) => {
    expect(quantityInput.safeParse(input).success).toBe(false);
  });

  it("normalises contacts and turns blanks into null (clearing the field)", () => {
    expect(emailInput.parse(" Orders@Farm.Example ")).toBe("orders@farm.example");
    expect(emailInput.parse("")).toBeNull();
    expect(phoneInput.parse(" +7 (900) 123-45-67 ")).toBe("+7 (900) 123-45-67");
    expect(phoneInput.parse("  ")).toBeNull();
    expect(telegramInput.parse("@fresh_veg")).toBe("fresh_veg");
    expect(telegramInput.parse("https://t.me/fresh_veg")).toBe("fresh_veg");
    expect(telegramInput.parse("")).toBeNull();
  });

  it.each([
    [emailInput, "farm@"],
    [emailInput, "no at sign"],
    [phoneInput, "1234"],
    [phoneInput, "+7 900 abc"],
    [phoneInput, "1234567890123456"],
    [telegramInput, "abc"],
    [telegramInput, "1starts_with_digit"],
    [telegramInput, "has space"],
  ] as const)("refuses an invalid contact (%#)", (schema, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});
