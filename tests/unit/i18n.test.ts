import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMessages } from "@/i18n/messages";

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

describe("messages", () => {
  it("has the same keys in Russian and English, and every namespace file is loaded", async () => {
    const [ru, en] = await Promise.all([loadMessages("ru"), loadMessages("en")]);
    expect(keys(ru).sort()).toEqual(keys(en).sort());
    const files = readdirSync("i18n/messages/en").map((f) => f.replace(/\.json$/, "")).sort();
    expect(Object.keys(en).sort()).toEqual(files);
  });
});
