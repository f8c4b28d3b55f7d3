import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { minorToMajor } from "@/server/poster/money";
import { localizedUnit } from "@/server/purchasing/message";
import type { ExportLine } from "./orders";
import type { Locale } from "@/vocabulary/constants";

export type ExportColumn =
  | "orderNumber"
  | "supplier"
  | "department"
  | "product"
  | "unit"
  | "quantity"
  | "receivedQuantity"
  | "price"
  | "lineTotal"
  | "orderStatus"
  | "lineStatus"
  | "deliveryDate"
  | "createdAt"
  | "sentAt"
  | "receivedAt";

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  "orderNumber",
  "supplier",
  "department",
  "product",
  "unit",
  "quantity",
  "receivedQuantity",
  "price",
  "lineTotal",
  "orderStatus",
  "lineStatus",
  "deliveryDate",
  "createdAt",
  "sentAt",
  "receivedAt",
];

/** Column titles (times say their timezone, money its currency), status names and units in the reader's language. */
export interface ExportLabels {
  locale: Locale;
  columns: Record<ExportColumn, string>;
  orderStatus: Record<string, string>;
  lineStatus: Record<string, string>;
  sheet: string;
  total: string;
}

/**
 * How numbers and fields are written, from the restaurant's locale: Russian Excel reads "2,5" as a number and
 * splits a CSV on ";" (a comma-separated file opens as one column there).
 */
export interface ExportNumberFormat {
  delimiter: ";" | ",";
  decimalMark: "," | ".";
  /** XLSX number formats for calendar days and local times. */
  dateFormat: string;
  dateTimeFormat: string;
}

export function exportNumberFormat(restaurantLocale: Locale): ExportNumberFormat {
  return restaurantLocale === "ru"
    ? { delimiter: ";", decimalMark: ",", dateFormat: "dd.mm.yyyy", dateTimeFormat: "dd.mm.yyyy hh:mm" }
    : { delimiter: ",", decimalMark: ".", dateFormat: "yyyy-mm-dd", dateTimeFormat: "yyyy-mm-dd hh:mm" };
}

type Cell = string | number | null;

function cells(line: ExportLine, labels: ExportLabels): Record<ExportColumn, Cell> {
  return {
    orderNumber: line.orderNumber,
    supplier: line.supplierName,
    department: line.departmentName,
    product: line.productName,
    unit: localizedUnit(line.unit, labels.locale),
    quantity: line.quantity,
    receivedQuantity: line.receivedQuantity,
    price: line.priceMinor === null ? null : minorToMajor(line.priceMinor),
    lineTotal: line.lineTotalMinor === null ? null : minorToMajor(line.lineTotalMinor),
    orderStatus: labels.orderStatus[line.orderStatus] ?? line.orderStatus,
    lineStatus: labels.lineStatus[line.lineStatus] ?? line.lineStatus,
    deliveryDate: line.deliveryDate,
    createdAt: line.createdAt,
    sentAt: line.sentAt,
    receivedAt: line.receivedAt,
  };
}

const DECIMAL_COLUMNS = new Set<ExportColumn>(["quantity", "receivedQuantity", "price", "lineTotal"]);

/**
 * Papa's own pattern ends in `.*$` without the `s` flag, so a value with a line break after the formula (for
 * example "=HYPERLINK(…)\n") would slip through; only the first character matters.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV records through papaparse (RFC 4180 quoting, and `escapeFormulae`: a value that Excel would run as a
 * formula — a supplier named "=HYPERLINK(…)" — gets a leading apostrophe). Decimals carry the locale's mark.
 */
export function csvRecords(rows: readonly (readonly Cell[])[], format: ExportNumberFormat, decimalColumns: readonly boolean[] = []): string {
  const data = rows.map((row) => row.map((v, i) => (v === null ? "" : decimalColumns[i] && format.decimalMark === "," ? String(v).replace(".", ",") : String(v))));
  return Papa.unparse(data, { delimiter: format.delimiter, newline: "\r\n", escapeFormulae: FORMULA_START, header: false }) + (data.length ? "\r\n" : "");
}

/** A byte-order mark first, so Excel reads the file as UTF-8 (Cyrillic names) instead of the local code page. */
export const UTF8_BOM = "\uFEFF";

/** CSV as a stream of UTF-8 chunks: header, then the lines a few hundred at a time. */
export function csvStream(lines: readonly ExportLine[], labels: ExportLabels, format: ExportNumberFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const decimals = EXPORT_COLUMNS.map((c) => DECIMAL_COLUMNS.has(c));
  let index = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvRecords([EXPORT_COLUMNS.map((c) => labels.columns[c])], format)));
    },
    pull(controller) {
      const end = Math.min(index + 500, lines.length);
      const batch: Cell[][] = [];
      for (; index < end; index++) {
        const row = cells(lines[index]!, labels);
        batch.push(EXPORT_COLUMNS.map((c) => row[c]));
      }
      if (batch.length) controller.enqueue(encoder.encode(csvRecords(batch, format, decimals)));
      if (index >= lines.length) controller.close();
    },
  });
}

/** "2026-10-31 01:30" (a wall-clock time in the restaurant) as a Date whose UTC fields are that time: Excel has no zones. */
const wallClock = (local: string | null) => (local === null ? null : new Date(`${local.replace(" ", "T")}:00Z`));
const calendarDay = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * XLSX through exceljs's streaming writer: numbers stay numbers, days and times are real dates (in the
 * restaurant's wall-clock time, as the header says), a bold frozen header and a totals row.
 */
export function xlsxStream(lines: readonly ExportLine[], labels: ExportLabels, format: ExportNumberFormat): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(labels.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  const numFmt: Partial<Record<ExportColumn, string>> = {
    quantity: "0.###",
    receivedQuantity: "0.###",
    price: "#,##0.00",
    lineTotal: "#,##0.00",
    deliveryDate: format.dateFormat,
    createdAt: format.dateTimeFormat,
    sentAt: format.dateTimeFormat,
    receivedAt: format.dateTimeFormat,
  };
  const wide = new Set<ExportColumn>(["product", "supplier"]);
  const dated = new Set<ExportColumn>(["createdAt", "sentAt", "receivedAt"]);
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: labels.columns[c], key: c, width: wide.has(c) ? 28 : dated.has(c) ? 24 : 14, style: numFmt[c] ? { numFmt: numFmt[c] } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const totalColumn = EXPORT_COLUMNS.indexOf("lineTotal") + 1;
  const totalLetter = sheet.getColumn(totalColumn).letter;
  void (async () => {
    let totalMinor = 0;
    for (const line of lines) {
      const row = cells(line, labels);
      totalMinor += line.lineTotalMinor ?? 0;
      sheet
        .addRow({
          ...row,
          quantity: Number(line.quantity),
          receivedQuantity: Number(line.receivedQuantity),
          price: row.price === null ? null : Number(row.price),
          lineTotal: row.lineTotal === null ? null : Number(row.lineTotal),
          deliveryDate: calendarDay(line.deliveryDate),
          createdAt: wallClock(line.createdAt),
          sentAt: wallClock(line.sentAt),
          receivedAt: wallClock(line.receivedAt),
        })
        .commit();
    }
    // A live SUM (it follows edits and filters of the sheet) with its value precomputed for readers that do not calculate.
    const totals = sheet.addRow({ orderNumber: labels.total });
    totals.getCell(totalColumn).value = { formula: `SUM(${totalLetter}2:${totalLetter}${lines.length + 1})`, result: Number(minorToMajor(totalMinor)) };
    totals.font = { bold: true };
    totals.commit();
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
