import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRecords, exportNumberFormat } from "@/server/history/export";

const ru = exportNumberFormat("ru");
const en = exportNumberFormat("en");
/** Read back with a maintained parser, not with our own writer's assumptions. */
const parse = (text: string, delimiter: string) => Papa.parse<string[]>(text, { delimiter, newline: "\r\n", skipEmptyLines: true }).data;

describe("CSV writer", () => {
  it("quotes fields with the delimiter, quotes, CR or LF (RFC 4180) and ends every record with CRLF", () => {
    expect(csvRecords([["Green, Farm", 'Сыр "Российский"', "line 1\nline 2", null, 12]], en)).toBe('"Green, Farm","Сыр ""Российский""","line 1\nline 2",,12\r\n');
    // A comma is no delimiter in Russian files: only the semicolon forces quotes there.
    expect(csvRecords([["Green, Farm", "a;b"]], ru)).toBe('Green, Farm;"a;b"\r\n');
  });

  it("writes the restaurant's separator and decimal mark: ';' and ',' for Russian, ',' and '.' for English", () => {
    const row = [["Картофель", "2.5", "1500.50", "Кухня"]];
    const decimals = [false, true, true, false];
    expect(csvRecords(row, ru, decimals)).toBe("Картофель;2,5;1500,50;Кухня\r\n");
    expect(csvRecords(row, en, decimals)).toBe("Картофель,2.5,1500.50,Кухня\r\n");
    expect(parse(csvRecords(row, ru, decimals), ";")).toEqual([["Картофель", "2,5", "1500,50", "Кухня"]]);
  });

  it("neutralises values a spreadsheet would run as a formula (=, +, -, @, tab, CR), also when a line break follows", () => {
    const hostile = ['=HYPERLINK("http://evil.test","click")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=1+1\n"x"'];
    const text = csvRecords([hostile], ru);
    const [back] = parse(text, ";");
    expect(back).toEqual(hostile.map((v) => `'${v}`));
    // Harmless values are left alone.
    expect(parse(csvRecords([["Ферма = лучшая", "a-b", "e@mail"]], ru), ";")).toEqual([["Ферма = лучшая", "a-b", "e@mail"]]);
  });
});
