import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { minorToMajor } from "@/server/poster/money";
import type { ExportLine } from "./orders";

export type ExportColumn =
  | "orderNumber"
  | "supplier"
  | "department"
  | "product"
  | "unit"
  | "quantity"
  | "receivedQuantity"
  | "price"
  | "orderStatus"
  | "lineStatus"
  | "deliveryDate"
  | "createdAt"
  | "sentAt";

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  "orderNumber",
  "supplier",
  "department",
  "product",
  "unit",
  "quantity",
  "receivedQuantity",
  "price",
  "orderStatus",
  "lineStatus",
  "deliveryDate",
  "createdAt",
  "sentAt",
];

/** Column titles and status names in the reader's language. */
export interface ExportLabels {
  columns: Record<ExportColumn, string>;
  orderStatus: Record<string, string>;
  lineStatus: Record<string, string>;
  sheet: string;
}

type Cell = string | number | null;

function cells(line: ExportLine, labels: ExportLabels): Record<ExportColumn, Cell> {
  return {
    orderNumber: line.orderNumber,
    supplier: line.supplierName,
    department: line.departmentName,
    product: line.productName,
    unit: line.unit,
    quantity: line.quantity,
    receivedQuantity: line.receivedQuantity,
    price: line.priceMinor === null ? null : minorToMajor(line.priceMinor),
    orderStatus: labels.orderStatus[line.orderStatus] ?? line.orderStatus,
    lineStatus: labels.lineStatus[line.lineStatus] ?? line.lineStatus,
    deliveryDate: line.deliveryDate,
    createdAt: line.createdAt,
    sentAt: line.sentAt,
  };
}

/** RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled. */
export function csvField(value: Cell): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly Cell[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** A byte-order mark first, so Excel reads the file as UTF-8 (Cyrillic names) instead of the local code page. */
export const UTF8_BOM = "\uFEFF";

/** CSV as a stream of UTF-8 chunks: header, then the lines a few hundred at a time. */
export function csvStream(lines: readonly ExportLine[], labels: ExportLabels): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvRecord(EXPORT_COLUMNS.map((c) => labels.columns[c]))));
    },
    pull(controller) {
      const end = Math.min(index + 500, lines.length);
      let chunk = "";
      for (; index < end; index++) {
        const row = cells(lines[index]!, labels);
        chunk += csvRecord(EXPORT_COLUMNS.map((c) => row[c]));
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (index >= lines.length) controller.close();
    },
  });
}

const NUMERIC: Partial<Record<ExportColumn, string>> = { quantity: "0.###", receivedQuantity: "0.###", price: "#,##0.00" };

/** XLSX through exceljs's streaming writer: typed cells (numbers stay numbers), bold header, frozen first row. */
export function xlsxStream(lines: readonly ExportLine[], labels: ExportLabels): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(labels.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: labels.columns[c], key: c, width: c === "product" || c === "supplier" ? 28 : 14, style: NUMERIC[c] ? { numFmt: NUMERIC[c] } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  void (async () => {
    for (const line of lines) {
      const row = cells(line, labels);
      sheet.addRow({ ...row, quantity: Number(line.quantity), receivedQuantity: Number(line.receivedQuantity), price: row.price === null ? null : Number(row.price) }).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
