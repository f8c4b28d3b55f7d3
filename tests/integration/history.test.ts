import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/scope";
import { departments, products, purchaseOrderLines, purchaseOrders, receiptLines, receipts, suppliers } from "@/db/schema";
import { exportOrders } from "@/server/http/orders-export";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

type User = { id: string; sessionVersion: number; sessionId: string };

const TRICKY = 'Сыр "Российский", 45%\nфасованный';

describe(`order history and export (${testDatabaseKind()})`, () => {
  let a: { id: string };
  let b: { id: string };
  let manager: User;
  let receiver: User;
  let staff: User;
  let ownerB: User;
  let kitchen: string;
  let bar: string;
  let farm: string;
  let dairy: string;

  beforeAll(async () => {
    await openTestDatabase();
    a = await createRestaurant({ timezone: "Europe/Moscow", locale: "ru", currency: "RUB" });
    b = await createRestaurant();
    manager = await createUser();
    receiver = await createUser();
    staff = await createUser();
    ownerB = await createUser();
    await addMembership({ restaurantId: a.id, userId: manager.id, role: "manager" });
    await addMembership({ restaurantId: a.id, userId: receiver.id, role: "staff", canReceive: true });
    await addMembership({ restaurantId: a.id, userId: staff.id, role: "staff" });
    await addMembership({ restaurantId: b.id, userId: ownerB.id, role: "owner" });

    await withTenant(a.id, async (tx) => {
      const [k, br] = await tx
        .insert(departments)
        .values([
          { restaurantId: a.id, name: "Кухня" },
          { restaurantId: a.id, name: "Бар" },
        ])
        .returning();
      kitchen = k!.id;
      bar = br!.id;
      const [s1, s2] = await tx
        .insert(suppliers)
        .values([
          { restaurantId: a.id, name: "Green, Farm" },
          { restaurantId: a.id, name: "Dairy" },
        ])
        .returning();
      farm = s1!.id;
      dairy = s2!.id;
      const [potatoes, onions, milk, cheese] = await tx
        .insert(products)
        .values([
          { restaurantId: a.id, name: "Картофель", unit: "kg" },
          { restaurantId: a.id, name: "Onions", unit: "kg" },
          { restaurantId: a.id, name: "Milk", unit: "l" },
          { restaurantId: a.id, name: TRICKY, unit: "kg" },
        ])
        .returning();
      const [o1, o2, o3] = await tx
        .insert(purchaseOrders)
        .values([
          // 22:30 UTC on the 30th is 01:30 on the 31st in Moscow.
          { restaurantId: a.id, number: 1, supplierId: farm, deliveryDate: "2026-11-01", status: "received", createdAt: new Date("2026-10-30T22:30:00Z") },
          { restaurantId: a.id, number: 2, supplierId: dairy, deliveryDate: "2026-11-05", status: "sent", createdAt: new Date("2026-11-03T10:00:00Z"), sentAt: new Date("2026-11-03T11:15:00Z") },
          { restaurantId: a.id, number: 3, supplierId: farm, deliveryDate: "2026-11-10", status: "draft", createdAt: new Date("2026-11-09T09:00:00Z") },
        ])
        .returning();
      const [potatoLine] = await tx.insert(purchaseOrderLines).values([
        { restaurantId: a.id, orderId: o1!.id, productId: potatoes!.id, departmentId: kitchen, quantity: "10", receivedQuantity: "9.5", priceMinor: 5000, status: "received" },
        { restaurantId: a.id, orderId: o1!.id, productId: onions!.id, departmentId: kitchen, quantity: "2", receivedQuantity: "2", priceMinor: null, status: "received" },
        { restaurantId: a.id, orderId: o2!.id, productId: milk!.id, departmentId: bar, quantity: "3", priceMinor: 12000 },
        { restaurantId: a.id, orderId: o2!.id, productId: cheese!.id, departmentId: bar, quantity: "1", priceMinor: 99999, status: "cancelled" },
        { restaurantId: a.id, orderId: o3!.id, productId: cheese!.id, departmentId: bar, quantity: "0.25", priceMinor: 150050 },
      ]).returning();
      // The potatoes arrived at 10:45 in Moscow (07:45 UTC).
      const [receipt] = await tx.insert(receipts).values({ restaurantId: a.id, orderId: o1!.id, idempotencyKey: "fixture", receivedAt: new Date("2026-11-01T07:45:00Z") }).returning();
      await tx.insert(receiptLines).values({ restaurantId: a.id, receiptId: receipt!.id, orderLineId: potatoLine!.id, quantity: "9.5", priceMinor: 5000 });
    });
    await withTenant(b.id, async (tx) => {
      const [d] = await tx.insert(departments).values({ restaurantId: b.id, name: "B" }).returning();
      const [s] = await tx.insert(suppliers).values({ restaurantId: b.id, name: "B supplier" }).returning();
      const [p] = await tx.insert(products).values({ restaurantId: b.id, name: "B product", unit: "kg" }).returning();
      const [o] = await tx.insert(purchaseOrders).values({ restaurantId: b.id, number: 1, supplierId: s!.id, deliveryDate: "2026-11-01" }).returning();
      await tx.insert(purchaseOrderLines).values({ restaurantId: b.id, orderId: o!.id, productId: p!.id, departmentId: d!.id, quantity: "1" });
    });
  });
  afterAll(closeDatabase);

  const ctx = (user: User | null, restaurantId: string | null) =>
    createInnerContext({ session: user ? { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId } : null, requestedRestaurantId: restaurantId });
  const as = (user: User, restaurantId: string) => createCaller(ctx(user, restaurantId));
  const numbers = async (filters: Parameters<ReturnType<typeof as>["history"]["list"]>[0]) =>
    (await as(manager, a.id).history.list(filters)).items.map((o) => o.number);

  describe("list", () => {
    it("lists orders newest first with supplier, line count and total of received or ordered quantity × known price", async () => {
      const { items, nextCursor } = await as(manager, a.id).history.list({});
      expect(items.map((o) => o.number)).toEqual([3, 2, 1]);
      expect(nextCursor).toBeNull();
      const [o3, o2, o1] = items;
      // Received: 9.5 × 50.00; the onions have no price and are counted as unpriced.
      expect(o1).toMatchObject({ supplierName: "Green, Farm", deliveryDate: "2026-11-01", status: "received", lineCount: 2, totalMinor: 47500, unpricedLines: 1 });
      // Sent: ordered 3 × 120.00; the cancelled line does not count.
      expect(o2).toMatchObject({ supplierName: "Dairy", status: "sent", lineCount: 2, totalMinor: 36000, unpricedLines: 0, departmentNames: ["Бар"] });
      // 0.25 × 1500.50 = 375.125 → 375.13
      expect(o3).toMatchObject({ totalMinor: 37513 });
    });

    it("narrows by supplier, department, status and dates", async () => {
      expect(await numbers({ supplierId: farm })).toEqual([3, 1]);
      expect(await numbers({ supplierId: dairy })).toEqual([2]);
      expect(await numbers({ departmentId: kitchen })).toEqual([1]);
      expect(await numbers({ departmentId: bar })).toEqual([3, 2]);
      expect(await numbers({ status: "sent" })).toEqual([2]);
      expect(await numbers({ status: "cancelled" })).toEqual([]);
      expect(await numbers({ from: "2026-11-02", to: "2026-11-06" })).toEqual([2]);
      expect(await numbers({ from: "2026-11-05" })).toEqual([3, 2]);
      expect(await numbers({ to: "2026-11-05" })).toEqual([2, 1]);
      expect(await numbers({ supplierId: farm, departmentId: bar })).toEqual([3]);
    });

    it("filters on the created date as a calendar day in the restaurant's timezone", async () => {
      expect(await numbers({ dateField: "created", from: "2026-10-31", to: "2026-10-31" })).toEqual([1]);
      expect(await numbers({ dateField: "created", to: "2026-10-30" })).toEqual([]);
      expect(await numbers({ dateField: "created", from: "2026-11-03", to: "2026-11-09" })).toEqual([3, 2]);
    });

    it("pages with a cursor", async () => {
      const api = as(manager, a.id);
      const first = await api.history.list({ limit: 2 });
      expect(first.items.map((o) => o.number)).toEqual([3, 2]);
      expect(first.nextCursor).toBe(2);
      const second = await api.history.list({ limit: 2, cursor: first.nextCursor });
      expect(second.items.map((o) => o.number)).toEqual([1]);
      expect(second.nextCursor).toBeNull();
    });

    it("accepts what an infinite query sends with every page (cursor and direction)", async () => {
      const api = as(manager, a.id);
      // @trpc/tanstack-react-query adds `direction` to the input of each page; the strict schema once refused it (400).
      const first = await api.history.list({ limit: 2, cursor: null, direction: "forward" });
      expect(first.items.map((o) => o.number)).toEqual([3, 2]);
      const second = await api.history.list({ limit: 2, cursor: first.nextCursor, direction: "forward" });
      expect(second.items.map((o) => o.number)).toEqual([1]);
    });

    it("refuses bad filters", async () => {
      const api = as(manager, a.id);
      await expect(api.history.list({ from: "2026-11-10", to: "2026-11-01" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.history.list({ from: "10.11.2026" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.history.list({ status: "lost" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("is for those who may read orders, and shows only the restaurant's own", async () => {
      await expect(as(staff, a.id).history.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as(receiver, a.id).history.list({})).resolves.toMatchObject({ items: expect.any(Array) });
      await expect(as(manager, b.id).history.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      const other = await as(ownerB, b.id).history.list({});
      expect(other.items.map((o) => o.supplierName)).toEqual(["B supplier"]);
    });
  });

  describe("export route", () => {
    const url = (query: string) => new URL(`http://localhost/api/export/orders?${query}`);

    it("writes CSV for the restaurant's Excel: ';' and decimal commas in Russian, localized units, local times with their zone, a total per line", async () => {
      const res = await exportOrders(url("format=csv"), ctx(manager, a.id), null);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="purchase-orders-\d{4}-\d{2}-\d{2}\.csv"$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      const records = parseCsv(text, ";");
      // The restaurant's language (ru) when the user picked none; the times say where they are.
      expect(records[0]).toEqual([
        "Номер заказа", "Поставщик", "Отдел", "Товар", "Единица", "Заказано", "Принято", "Цена, RUB", "Сумма, RUB", "Статус заказа", "Статус позиции", "Дата поставки",
        "Создан (Europe/Moscow)", "Отправлен (Europe/Moscow)", "Дата приёмки (Europe/Moscow)",
      ]);
      expect(records).toHaveLength(1 + 5);
      expect(text).toContain(`3;Green, Farm;Бар;"Сыр ""Российский"", 45%\nфасованный";кг;0,25;0;1500,50;375,13;Черновик;Открыта;2026-11-10;2026-11-09 12:00;;\r\n`);
      const potatoes = records.find((r) => r[3] === "Картофель")!;
      expect(potatoes).toEqual(["1", "Green, Farm", "Кухня", "Картофель", "кг", "10", "9,5", "50,00", "475,00", "Принят", "Принята", "2026-11-01", "2026-10-31 01:30", "", "2026-11-01 10:45"]);
      expect(records.find((r) => r[3] === "Onions")!.slice(7, 9)).toEqual(["", ""]);
      const milk = records.find((r) => r[3] === "Milk")!;
      expect(milk.slice(4, 9)).toEqual(["л", "3", "0", "120,00", "360,00"]);
      expect(milk[13]).toBe("2026-11-03 14:15");
      const cancelled = records.find((r) => r[3] === TRICKY && r[0] === "2")!;
      expect([cancelled[8], cancelled[10]]).toEqual(["", "Отменена"]);
    });

    it("writes English-locale CSV with commas and decimal points; the reader's language picks the words", async () => {
      const b2 = await createRestaurant({ timezone: "Asia/Almaty", locale: "en", currency: "USD" });
      const owner = await createUser();
      await addMembership({ restaurantId: b2.id, userId: owner.id, role: "owner" });
      await withTenant(b2.id, async (tx) => {
        const [d] = await tx.insert(departments).values({ restaurantId: b2.id, name: "Bar" }).returning();
        const [s] = await tx.insert(suppliers).values({ restaurantId: b2.id, name: '=HYPERLINK("http://evil.test","Fresh")' }).returning();
        const [p] = await tx.insert(products).values({ restaurantId: b2.id, name: "Limes", unit: "p" }).returning();
        const [o] = await tx.insert(purchaseOrders).values({ restaurantId: b2.id, number: 1, supplierId: s!.id, deliveryDate: "2026-11-01", createdAt: new Date("2026-10-31T20:00:00Z") }).returning();
        await tx.insert(purchaseOrderLines).values({ restaurantId: b2.id, orderId: o!.id, productId: p!.id, departmentId: d!.id, quantity: "12.5", priceMinor: 1999 });
      });
      const res = await exportOrders(url("format=csv"), ctx(owner, b2.id), "ru");
      const records = parseCsv(new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3)), ",");
      expect(records[0]!.slice(7, 9)).toEqual(["Цена, USD", "Сумма, USD"]);
      expect(records[0]![12]).toBe("Создан (Asia/Almaty)");
      // A supplier name Excel would run as a formula is written as text; 20:00 UTC is 01:00 the next day in Almaty.
      expect(records[1]).toEqual(["1", `'=HYPERLINK("http://evil.test","Fresh")`, "Bar", "Limes", "шт", "12.5", "0", "19.99", "249.88", "Черновик", "Открыта", "2026-11-01", "2026-11-01 01:00", "", ""]);
    });

    it("writes XLSX that exceljs reads back: numbers as numbers, real dates, the received date and a totals row", async () => {
      const res = await exportOrders(url("format=xlsx&supplierId=" + farm), ctx(manager, a.id), "en");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      expect(res.headers.get("content-disposition")).toMatch(/filename="purchase-orders-.*\.xlsx"/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe("Purchase orders");
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual([
        "Order number", "Supplier", "Department", "Product", "Unit", "Ordered quantity", "Received quantity", "Price, RUB", "Total, RUB", "Order status", "Line status", "Delivery date",
        "Created (Europe/Moscow)", "Sent (Europe/Moscow)", "Received on (Europe/Moscow)",
      ]);
      // The supplier filter applies: orders 3 and 1 (three lines), then the totals row.
      expect(rows.slice(1, -1).map((r) => r[0])).toEqual([3, 1, 1]);
      // Dates are dates: a calendar day, and the restaurant's wall-clock time (Excel has no time zones).
      expect(rows[1]).toEqual([3, "Green, Farm", "Бар", TRICKY, "kg", 0.25, 0, 1500.5, 375.13, "Draft", "Open", new Date("2026-11-10T00:00:00Z"), new Date("2026-11-09T12:00:00Z")]);
      expect(rows.find((r) => r[3] === "Картофель")).toEqual([
        1, "Green, Farm", "Кухня", "Картофель", "kg", 10, 9.5, 50, 475, "Received", "Received", new Date("2026-11-01T00:00:00Z"), new Date("2026-10-31T01:30:00Z"), undefined, new Date("2026-11-01T10:45:00Z"),
      ]);
      const dateCell = sheet.getRow(2).getCell(12);
      expect(dateCell.type).toBe(ExcelJS.ValueType.Date);
      // The restaurant is Russian: its Excel shows days as 31.10.2026.
      expect(dateCell.numFmt).toBe("dd.mm.yyyy");
      expect(sheet.getRow(2).getCell(13).numFmt).toBe("dd.mm.yyyy hh:mm");
      const totals = rows.at(-1)!;
      expect(totals[0]).toBe("Total");
      expect(totals[8]).toEqual({ formula: "SUM(I2:I4)", result: 850.13 });
    });

    it("applies the same filters as the list", async () => {
      const res = await exportOrders(url("format=csv&departmentId=" + kitchen + "&status=received&from=&to="), ctx(manager, a.id), "en");
      const records = parseCsv(new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3)), ";");
      expect(records.slice(1).map((r) => r[3]).sort()).toEqual(["Onions", "Картофель"]);
    });

    it("refuses without a session, for another restaurant, without orders access, and on bad input", async () => {
      expect((await exportOrders(url("format=csv"), ctx(null, a.id), null)).status).toBe(401);
      expect((await exportOrders(url("format=csv"), ctx(manager, b.id), null)).status).toBe(403);
      expect((await exportOrders(url("format=csv"), ctx(staff, a.id), null)).status).toBe(403);
      expect((await exportOrders(url("format=pdf"), ctx(manager, a.id), null)).status).toBe(400);
      expect((await exportOrders(url("format=csv&from=2026-12-01&to=2026-11-01"), ctx(manager, a.id), null)).status).toBe(400);
      expect((await exportOrders(url("format=csv&restaurantId=" + b.id), ctx(manager, a.id), null)).status).toBe(400);
      const denied = await exportOrders(url("format=csv"), ctx(manager, b.id), null);
      expect(await denied.json()).toEqual({ error: expect.any(String) });
    });
  });
});

/** A strict RFC 4180 reader, so the test checks the writer against the format rather than against itself. */
function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === delimiter) {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (c === "\n" || c === "\r") {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || record.length) throw new Error("last record not terminated by CRLF");
  return records;
}
