import { describe, expect, it } from "vitest";
import { localeFromPosterLang } from "@/server/sync/settings";
import { toQuantity3 } from "@/vocabulary/quantity";

describe("toQuantity3: Poster quantities as Postgres prints numeric(14,3)", () => {
  it.each([
    ["443.45000", "443.450"],
    ["-22.00", "-22.000"],
    ["-1.56", "-1.560"],
    ["0", "0.000"],
    ["-0.0001", "0.000"],
    ["1.23449", "1.234"],
    ["1.2345", "1.235"],
    ["-1.2345", "-1.235"],
    ["0.0005", "0.001"],
    ["12,5", "12.500"],
    [3, "3.000"],
    ["999999.9995", "1000000.000"],
  ] as const)("%s → %s", (input, expected) => {
    expect(toQuantity3(input)).toBe(expected);
  });

  it("refuses what is not a number", () => {
    expect(toQuantity3("abc")).toBeNull();
    expect(toQuantity3("")).toBeNull();
  });
});

describe("localeFromPosterLang", () => {
  it.each([
    ["ru", "ru"],
    ["ua", "ru"],
    ["kz", "ru"],
    ["en", "en"],
    ["EN", "en"],
    ["de", "en"],
    ["", "ru"],
  ] as const)("%s → %s", (lang, locale) => {
    expect(localeFromPosterLang(lang)).toBe(locale);
  });
});
