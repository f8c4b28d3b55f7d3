import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "@/server/history/export";

describe("CSV writer (RFC 4180)", () => {
  it("leaves plain fields alone and writes null as an empty field", () => {
    expect(csvField("Картофель")).toBe("Картофель");
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField(null)).toBe("");
  });

  it("quotes fields with commas, quotes, CR or LF and doubles inner quotes", () => {
    expect(csvField("Green, Farm")).toBe('"Green, Farm"');
    expect(csvField('Сыр "Российский"')).toBe('"Сыр ""Российский"""');
    expect(csvField("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField('"')).toBe('""""');
  });

  it("ends every record with CRLF", () => {
    expect(csvRecord(["a", null, "b,c"])).toBe('a,,"b,c"\r\n');
  });
});
