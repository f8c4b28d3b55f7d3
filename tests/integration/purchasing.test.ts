import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import {
  categories, departments, jobs, mailOutbox, products, purchaseOrderEvents, purchaseOrderLines, purchaseOrders, purchaseRequestLines, purchaseRequests,
  receipts, suppliers, supplyPostings,
} from "@/db/schema";
import { createPosterClient, createPosterLimiter, type PosterClient } from "@/server/poster";
import { createPosterSimulator, type PosterSimulator } from "@/simulator";
import { buildOrderMessage, postSupply, supplyMarker } from "@/server/purchasing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { DomainTRPCError } from "@/server/trpc/errors";
import { createInnerContext } from "@/server/trpc/init";
import { appRouter, createCaller, type AppRouter } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

type User = { id: string; sessionVersion: number; sessionId: string };
const SIM_LOGIN = "demo-cafe";

/** A restaurant shaped like a Poster account of the simulator: kitchen = storage 1, bar = storage 2. */
async function setupRestaurant(locale: "ru" | "en" = "ru") {
  const restaurant = await createRestaurant({ name: locale === "ru" ? "Кафе «Тест»" : "Test Bistro", locale, timezone: "Asia/Almaty", currency: "RUB" });
  const rid = restaurant.id;
  return withTenant(rid, async (tx) => {
    const [kitchen, bar, pantry] = await tx
      .insert(departments)
      .values([
        { restaurantId: rid, name: "Kitchen", posterStorageId: 1, sortOrder: 1 },
        { restaurantId: rid, name: "Bar", posterStorageId: 2, sortOrder: 2 },
        { restaurantId: rid, name: "Pantry", posterStorageId: null, sortOrder: 3 },
      ])
      .returning();
    const [veg, dairy, noPoster] = await tx
      .insert(suppliers)
      .values([
        { restaurantId: rid, name: "Veg Co", posterSupplierId: 1, posterPhone: "+7 (900) 000-00-01", email: "veg@supplier.test" },
        { restaurantId: rid, name: "Dairy Co", posterSupplierId: 2, phone: "+7 900 000 00 02" },
        { restaurantId: rid, name: "Local Market", posterSupplierId: null },
      ])
      .returning();
    const [drinks] = await tx.insert(categories).values({ restaurantId: rid, name: "Drinks", defaultSupplierId: dairy!.id }).returning();
    const [loose] = await tx.insert(categories).values({ restaurantId: rid, name: "Misc" }).returning();
    const [tomato, sugar, juice, napkins, herbs] = await tx
      .insert(products)
      .values([
        { restaurantId: rid, name: "Tomatoes", unit: "kg", posterIngredientId: 1, supplierId: veg!.id, costMinor: 15000 },
        { restaurantId: rid, name: "Sugar", unit: "kg", posterIngredientId: 4, supplierId: veg!.id, lastPriceMinor: 9000, costMinor: 8000 },
        { restaurantId: rid, name: "Juice", unit: "l", posterIngredientId: 6, categoryId: drinks!.id },
        { restaurantId: rid, name: "Napkins", unit: "p", posterIngredientId: null, categoryId: loose!.id },
        { restaurantId: rid, name: "Herbs", unit: "p", posterIngredientId: null, supplierId: veg!.id },
      ])
      .returning();
    return { rid, kitchen: kitchen!, bar: bar!, pantry: pantry!, veg: veg!, dairy: dairy!, noPoster: noPoster!, tomato: tomato!, sugar: sugar!, juice: juice!, napkins: napkins!, herbs: herbs! };
  });
}
type Fixture = Awaited<ReturnType<typeof setupRestaurant>>;

async function submitRequest(rid: string, userId: string, departmentId: string, lines: Array<[string, string]>, note: string | null = null) {
  return withTenant(rid, async (tx) => {
    const [request] = await tx.insert(purchaseRequests).values({ restaurantId: rid, departmentId, createdBy: userId, status: "submitted", submittedAt: new Date(), note }).returning();
    await tx.insert(purchaseRequestLines).values(lines.map(([productId, quantity]) => ({ restaurantId: rid, requestId: request!.id, productId, quantity })));
    return request!;
  });
}

const ctxFor = (user: User, restaurantId: string) =>
  createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId }, requestedRestaurantId: restaurantId });

describe(`purchasing (${testDatabaseKind()})`, () => {
  let manager: User;
  let staffReceiver: User;
  let f: Fixture;
  let caller: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    await openTestDatabase();
    manager = await createUser({ name: "Maria Manager" });
    staffReceiver = await createUser({ name: "Sam Staff" });
  });
  afterAll(closeDatabase);

  beforeEach(async () => {
    f = await setupRestaurant("ru");
    await addMembership({ restaurantId: f.rid, userId: manager.id, role: "manager" });
    await addMembership({ restaurantId: f.rid, userId: staffReceiver.id, role: "staff", canSend: false, canReceive: true });
    caller = createCaller(ctxFor(manager, f.rid));
  });

  /** The version orders.get shows: every edit carries it, as the order page does. */
  const versionOf = async (orderId: string) => (await caller.orders.get({ orderId })).version;
  const orderRows = (rid: string) => withTenant(rid, (tx) => tx.select().from(purchaseOrders));
  const orderLineRows = (rid: string, orderId: string) => withTenant(rid, (tx) => tx.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.orderId, orderId)));

  describe("aggregation", () => {
    it("merges two departments' requests into one order per supplier, keeping departments and summing the same product", async () => {
      const r1 = await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "2.5"], [f.juice.id, "3"]]);
      await submitRequest(f.rid, manager.id, f.bar.id, [[f.tomato.id, "1"], [f.juice.id, "6"]]);
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "0.5"]]);

      const result = await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect(result).toMatchObject({ ordersCreated: 2, ordersUpdated: 0, linesPlaced: 5, unsortedLines: 0 });

      const orders = await orderRows(f.rid);
      expect(orders).toHaveLength(2);
      expect(orders.map((o) => o.number).sort()).toEqual([1, 2]);
      const veg = orders.find((o) => o.supplierId === f.veg.id)!;
      const dairy = orders.find((o) => o.supplierId === f.dairy.id)!; // juice via the category default
      expect(veg.deliveryDate).toBe("2026-12-01");
      const vegLines = await orderLineRows(f.rid, veg.id);
      expect(vegLines.map((l) => [l.departmentId, Number(l.quantity)]).sort()).toEqual(
        [[f.kitchen.id, 3], [f.bar.id, 1]].sort(),
      );
      const dairyLines = await orderLineRows(f.rid, dairy.id);
      expect(dairyLines.map((l) => [l.departmentId, Number(l.quantity)]).sort()).toEqual([[f.kitchen.id, 3], [f.bar.id, 6]].sort());

      const [request] = await withTenant(f.rid, (tx) => tx.select().from(purchaseRequests).where(eq(purchaseRequests.id, r1.id)));
      expect(request!.status).toBe("ordered");
    });

    it("is idempotent: merging again adds nothing, a later request joins the same draft", async () => {
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "2"]]);
      await caller.orders.merge({ deliveryDate: "2026-12-01" });
      const again = await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect(again).toMatchObject({ ordersCreated: 0, ordersUpdated: 0, linesPlaced: 0 });
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "1.25"]]);
      const third = await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect(third).toMatchObject({ ordersCreated: 0, ordersUpdated: 1, linesPlaced: 1 });
      const orders = await orderRows(f.rid);
      expect(orders).toHaveLength(1);
      const lines = await orderLineRows(f.rid, orders[0]!.id);
      expect(lines.map((l) => Number(l.quantity))).toEqual([3.25]);
    });

    it("lists the waiting requests with who sent them, the note and each line's supplier, before any merge", async () => {
      const kitchen = await submitRequest(f.rid, staffReceiver.id, f.kitchen.id, [[f.tomato.id, "2.5"], [f.napkins.id, "10"]], "Помидоры — только розовые");
      await new Promise((resolve) => setTimeout(resolve, 5)); // listed oldest first
      await submitRequest(f.rid, manager.id, f.bar.id, [[f.juice.id, "6"]]);
      const { requests, total } = await caller.orders.requests();
      expect(total).toBe(2);
      expect(requests.map((r) => r.departmentName)).toEqual(["Kitchen", "Bar"]);
      expect(requests[0]).toMatchObject({ id: kitchen.id, authorName: "Sam Staff", note: "Помидоры — только розовые" });
      expect(requests[0]!.lines).toEqual([
        { productName: "Napkins", unit: "p", quantity: "10", supplierName: null },
        { productName: "Tomatoes", unit: "kg", quantity: "2.5", supplierName: "Veg Co" },
      ]);
      // Juice has no supplier of its own: its category's default is named.
      expect(requests[1]!.lines).toEqual([{ productName: "Juice", unit: "l", quantity: "6", supplierName: "Dairy Co" }]);
      // Staff who cannot manage orders do not see them.
      await expect(createCaller(ctxFor(staffReceiver, f.rid)).orders.requests()).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("merges only the requests the manager kept ticked; the others wait, and the note follows its lines onto the order", async () => {
      const kitchen = await submitRequest(f.rid, staffReceiver.id, f.kitchen.id, [[f.tomato.id, "2"]], "Позвонить, если нет");
      const bar = await submitRequest(f.rid, manager.id, f.bar.id, [[f.tomato.id, "1"], [f.juice.id, "4"]], "Bar note");
      const result = await caller.orders.merge({ deliveryDate: "2026-12-01", requestIds: [kitchen.id] });
      expect(result).toMatchObject({ ordersCreated: 1, linesPlaced: 1 });
      const waiting = await caller.orders.requests();
      expect(waiting.requests.map((r) => r.id)).toEqual([bar.id]);
      const [order] = await orderRows(f.rid);
      const detail = await caller.orders.get({ orderId: order!.id });
      expect(detail.requestNotes).toEqual([expect.objectContaining({ note: "Позвонить, если нет", authorName: "Sam Staff", departmentName: "Kitchen" })]);
      expect((await orderLineRows(f.rid, order!.id)).map((l) => Number(l.quantity))).toEqual([2]);

      await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect((await caller.orders.requests()).total).toBe(0);
      const after = await caller.orders.get({ orderId: order!.id });
      expect(after.requestNotes.map((n) => n.note).sort()).toEqual(["Bar note", "Позвонить, если нет"]);
    });

    it("keeps products without a supplier in the unsorted list until a manager assigns one", async () => {
      const request = await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.napkins.id, "10"], [f.tomato.id, "1"]]);
      const first = await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect(first).toMatchObject({ ordersCreated: 1, linesPlaced: 1, unsortedLines: 1 });
      const [stillOpen] = await withTenant(f.rid, (tx) => tx.select().from(purchaseRequests).where(eq(purchaseRequests.id, request.id)));
      expect(stillOpen!.status).toBe("submitted");

      const unsorted = await caller.orders.unsorted({ search: "napk" });
      expect(unsorted.products).toEqual([expect.objectContaining({ productId: f.napkins.id, quantity: "10", departments: ["Kitchen"] })]);
      expect((await caller.orders.unsorted({ search: "zzz" })).products).toHaveLength(0);
      expect(unsorted.suppliers?.map((s) => s.name)).toContain("Local Market");

      await caller.orders.assignSupplier({ productIds: [f.napkins.id], supplierId: f.veg.id });
      expect((await caller.orders.unsorted()).products).toHaveLength(0);
      const second = await caller.orders.merge({ deliveryDate: "2026-12-01" });
      expect(second).toMatchObject({ ordersCreated: 0, ordersUpdated: 1, linesPlaced: 1, unsortedLines: 0 });
      const [ordered] = await withTenant(f.rid, (tx) => tx.select().from(purchaseRequests).where(eq(purchaseRequests.id, request.id)));
      expect(ordered!.status).toBe("ordered");
    });
  });

  async function draftOrders() {
    await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "2.5"], [f.sugar.id, "1"], [f.juice.id, "2"]]);
    await submitRequest(f.rid, manager.id, f.bar.id, [[f.tomato.id, "1"], [f.juice.id, "4"]]);
    await caller.orders.merge({ deliveryDate: "2026-12-01" });
    const orders = await orderRows(f.rid);
    return { veg: orders.find((o) => o.supplierId === f.veg.id)!, dairy: orders.find((o) => o.supplierId === f.dairy.id)! };
  }

  describe("editing, sending and the status machine", () => {
    it("edits a draft, sends it by WhatsApp, records who/when/how, and leaves the other supplier's order alone", async () => {
      const { veg, dairy } = await draftOrders();
      const detail = await caller.orders.get({ orderId: veg.id });
      const sugarLine = detail.lines.find((l) => l.productId === f.sugar.id)!;
      await caller.orders.updateLine({ orderId: veg.id, version: await versionOf(veg.id), lineId: sugarLine.id, quantity: "1,5" });
      await caller.orders.update({ orderId: veg.id, version: await versionOf(veg.id), note: "До 10 утра" });

      const sent = await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "whatsapp" });
      expect(sent.whatsappUrl.startsWith("https://wa.me/79000000001?text=")).toBe(true);
      expect(decodeURIComponent(sent.whatsappUrl.split("text=")[1]!)).toBe(sent.text);
      expect(sent.text).toContain("1. Sugar — 1,5 кг");
      expect(sent.text).toContain("Tomatoes — 3,5 кг");
      expect(sent.text).toContain("Примечание: До 10 утра");

      const [after] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, veg.id)));
      expect(after).toMatchObject({ status: "sent", sentBy: manager.id, sentChannel: "whatsapp" });
      expect(after!.sentAt).toBeInstanceOf(Date);
      const [other] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, dairy.id)));
      expect(other).toMatchObject({ status: "draft", sentAt: null, sentChannel: null });

      // Sent orders are no longer editable; a re-send is one more event, not a status change.
      await expect(caller.orders.updateLine({ orderId: veg.id, version: await versionOf(veg.id), lineId: sugarLine.id, quantity: "2" })).rejects.toMatchObject({ code: "CONFLICT" });
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      const events = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrderEvents).where(eq(purchaseOrderEvents.orderId, veg.id)));
      expect(events.filter((e) => e.type === "sent")).toEqual([expect.objectContaining({ userId: manager.id, fromStatus: "draft", toStatus: "sent", data: { channel: "whatsapp" } })]);
      expect(events.filter((e) => e.type === "resent")).toEqual([expect.objectContaining({ data: { channel: "copy" } })]);
      const [stillSent] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, veg.id)));
      expect(stillSent).toMatchObject({ status: "sent", sentChannel: "whatsapp" });
    });

    it("sends by e-mail through the mailer, and refuses clearly when the supplier has no address", async () => {
      const { veg, dairy } = await draftOrders();
      await expect(caller.orders.send({ orderId: dairy.id, version: await versionOf(dairy.id), channel: "email" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("e-mail") });
      const [dairyAfter] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, dairy.id)));
      expect(dairyAfter!.status).toBe("draft");

      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "email" });
      const mails = await withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, "veg@supplier.test")));
      const mail = mails.at(-1)!;
      expect(mail.subject).toContain("Кафе «Тест»");
      expect(mail.text).toContain("Tomatoes — 3,5 кг");
    });

    it("warns about an order already sent to the same supplier for the same date", async () => {
      const { veg } = await draftOrders();
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.tomato.id, "5"]]);
      await caller.orders.merge({ deliveryDate: "2026-12-01" });
      const second = (await orderRows(f.rid)).find((o) => o.supplierId === f.veg.id && o.status === "draft")!;
      const detail = await caller.orders.get({ orderId: second.id });
      expect(detail.duplicates).toEqual([expect.objectContaining({ id: veg.id, number: veg.number })]);
      // A warning, not a block.
      await expect(caller.orders.send({ orderId: second.id, version: await versionOf(second.id), channel: "telegram" })).resolves.toMatchObject({ status: "sent", duplicates: [expect.objectContaining({ id: veg.id })] });
    });

    it("allows draft→cancelled and sent→cancelled, refuses illegal transitions", async () => {
      const { veg, dairy } = await draftOrders();
      await caller.orders.cancel({ orderId: dairy.id, version: await versionOf(dairy.id) });
      await expect(caller.orders.send({ orderId: dairy.id, version: await versionOf(dairy.id), channel: "copy" })).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(caller.orders.cancel({ orderId: dairy.id, version: await versionOf(dairy.id) })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("cancelled") });
      await expect(caller.orders.receive({ orderId: veg.id, version: await versionOf(veg.id), idempotencyKey: randomUUID(), lines: [] })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Send") });
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      await caller.orders.cancel({ orderId: veg.id, version: await versionOf(veg.id), reason: "supplier closed" });
      const events = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrderEvents).where(eq(purchaseOrderEvents.orderId, veg.id)));
      expect(events.map((e) => [e.fromStatus, e.toStatus]).filter(([a]) => a)).toEqual([["draft", "sent"], ["sent", "cancelled"]]);
    });

    it("removes a line from a draft so it is neither sent nor merged again", async () => {
      const { veg } = await draftOrders();
      const detail = await caller.orders.get({ orderId: veg.id });
      const sugar = detail.lines.find((l) => l.productId === f.sugar.id)!;
      await caller.orders.removeLine({ orderId: veg.id, version: await versionOf(veg.id), lineId: sugar.id });
      const after = await caller.orders.get({ orderId: veg.id });
      expect(after.message.text).not.toContain("Sugar");
      expect(await caller.orders.merge({ deliveryDate: "2026-12-01" })).toMatchObject({ linesPlaced: 0 });
    });
  });

  describe("message text", () => {
    const lines = [
      { productId: "a", name: "Картофель", unit: "kg", quantity: "2.5" },
      { productId: "b", name: "Молоко", unit: "l", quantity: "3" },
      { productId: "c", name: "Яйца", unit: "p", quantity: "30" },
      { productId: "a", name: "Картофель", unit: "kg", quantity: "1" },
    ];
    it("writes Russian with numbered lines, localized units and decimals, the restaurant and the date", () => {
      const m = buildOrderMessage({ locale: "ru", restaurantName: "Кафе «Демо»", number: 7, deliveryDate: "2026-11-28", note: "Позвоните заранее", lines });
      expect(m.text).toBe(
        ["Здравствуйте!", "Заказ от «Кафе «Демо»» на 28 ноября 2026 г.:", "1. Картофель — 3,5 кг", "2. Молоко — 3 л", "3. Яйца — 30 шт", "", "Примечание: Позвоните заранее", "", "Спасибо!"].join("\n"),
      );
      expect(m.subject).toBe("Заказ №7 от «Кафе «Демо»» на 28 ноября 2026 г.");
    });
    it("writes English", () => {
      const m = buildOrderMessage({ locale: "en", restaurantName: "Demo Bar", number: 3, deliveryDate: "2026-11-28", note: null, lines });
      expect(m.text).toBe(["Hello!", "Order from Demo Bar for delivery on November 28, 2026:", "1. Картофель — 3.5 kg", "2. Молоко — 3 l", "3. Яйца — 30 pcs", "", "Thank you!"].join("\n"));
    });
  });

  describe("receiving", () => {
    async function sentVegOrder() {
      const { veg, dairy } = await draftOrders();
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      const detail = await caller.orders.get({ orderId: veg.id });
      const line = (productId: string, departmentId: string) => detail.lines.find((l) => l.productId === productId && l.departmentId === departmentId)!;
      return { veg, dairy, detail, tomatoK: line(f.tomato.id, f.kitchen.id), tomatoB: line(f.tomato.id, f.bar.id), sugar: line(f.sugar.id, f.kitchen.id) };
    }

    it("pre-fills the price with the last price paid, else the cost", async () => {
      const { tomatoK, sugar } = await sentVegOrder();
      expect(sugar.suggestedPriceMinor).toBe(9000);
      expect(tomatoK.suggestedPriceMinor).toBe(15000);
    });

    it("records short and over lines, returns a missing part to requests, and is exactly-once per key", async () => {
      const { veg, tomatoK, tomatoB, sugar } = await sentVegOrder();
      const staff = createCaller(ctxFor(staffReceiver, f.rid));
      const key = randomUUID();
      const input = {
        orderId: veg.id,
        version: await versionOf(veg.id),
        idempotencyKey: key,
        lines: [
          { lineId: tomatoK.id, quantity: "2", priceMinor: 16000, missing: "return" as const }, // 2 of 2.5: short
          { lineId: tomatoB.id, quantity: "1.2", priceMinor: 16000 }, // 1.2 of 1: over
          { lineId: sugar.id, quantity: "0", priceMinor: 9000, missing: "keep" as const },
        ],
      };
      const [first, second] = await Promise.all([staff.orders.receive(input), staff.orders.receive(input)]);
      expect(second.receiptId).toBe(first.receiptId);
      expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
      expect(first.status).toBe("partially_received");
      const third = await staff.orders.receive(input);
      expect(third).toMatchObject({ receiptId: first.receiptId, replayed: true });

      const receiptRows = await withTenant(f.rid, (tx) => tx.select().from(receipts).where(eq(receipts.orderId, veg.id)));
      expect(receiptRows).toHaveLength(1);
      const lines = await orderLineRows(f.rid, veg.id);
      const byId = new Map(lines.map((l) => [l.id, l]));
      expect(byId.get(tomatoK.id)).toMatchObject({ status: "returned", priceMinor: 16000 });
      expect(Number(byId.get(tomatoK.id)!.receivedQuantity)).toBe(2);
      expect(byId.get(tomatoB.id)).toMatchObject({ status: "received" });
      expect(Number(byId.get(tomatoB.id)!.receivedQuantity)).toBe(1.2);
      expect(byId.get(sugar.id)).toMatchObject({ status: "open" });

      const [tomato] = await withTenant(f.rid, (tx) => tx.select().from(products).where(eq(products.id, f.tomato.id)));
      expect(tomato!.lastPriceMinor).toBe(16000);

      // The missing 0.5 kg of tomatoes is a new submitted request of the kitchen, ready to merge again.
      const back = await withTenant(f.rid, (tx) =>
        tx.select({ status: purchaseRequests.status, departmentId: purchaseRequests.departmentId, quantity: purchaseRequestLines.quantity, productId: purchaseRequestLines.productId })
          .from(purchaseRequestLines)
          .innerJoin(purchaseRequests, eq(purchaseRequests.id, purchaseRequestLines.requestId))
          .where(eq(purchaseRequests.status, "submitted")),
      );
      expect(back).toEqual([{ status: "submitted", departmentId: f.kitchen.id, quantity: "0.500", productId: f.tomato.id }]);

      // One posting per storage, with a deterministic key.
      const postings = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.receiptId, first.receiptId)));
      expect(postings.map((p) => p.idempotencyKey).sort()).toEqual([`receipt:${first.receiptId}:dept:${f.bar.id}`, `receipt:${first.receiptId}:dept:${f.kitchen.id}`].sort());

      const detail = await caller.orders.get({ orderId: veg.id });
      expect(detail.status).toBe("partially_received");
      expect(detail.events.find((e) => e.type === "received")).toMatchObject({ userName: "Sam Staff", data: expect.objectContaining({ short: 1, over: 1, returned: 1 }) });

      // The kept sugar arrives later; nothing open remains: received.
      const last = await staff.orders.receive({ orderId: veg.id, version: await versionOf(veg.id), idempotencyKey: randomUUID(), lines: [{ lineId: sugar.id, quantity: "1", priceMinor: 9500 }] });
      expect(last.status).toBe("received");
    });

    it("cancels a missing line and closes an order where nothing arrived as cancelled", async () => {
      const { veg, tomatoK, tomatoB, sugar } = await sentVegOrder();
      const result = await caller.orders.receive({
        orderId: veg.id,
        version: await versionOf(veg.id),
        idempotencyKey: randomUUID(),
        lines: [tomatoK, tomatoB, sugar].map((l) => ({ lineId: l.id, quantity: "0", priceMinor: 0, missing: "cancel" as const })),
      });
      expect(result).toMatchObject({ status: "cancelled", postings: [] });
      const lines = await orderLineRows(f.rid, veg.id);
      expect(lines.every((l) => l.status === "cancelled")).toBe(true);
    });

    it("refuses a confirmation that records nothing", async () => {
      const { veg, sugar } = await sentVegOrder();
      await expect(caller.orders.receive({ orderId: veg.id, version: await versionOf(veg.id), idempotencyKey: randomUUID(), lines: [{ lineId: sugar.id, quantity: "0", priceMinor: 0 }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });
  });

  describe("stale edits: every edit carries the order's version", () => {
    async function sentOrder() {
      const { veg, dairy } = await draftOrders();
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      return { veg, dairy, detail: await caller.orders.get({ orderId: veg.id }) };
    }
    const fullReceipt = (detail: Awaited<ReturnType<typeof caller.orders.get>>) =>
      detail.lines.filter((l) => l.status === "open").map((l) => ({ lineId: l.id, quantity: String(Number(l.quantity) - Number(l.receivedQuantity)), priceMinor: 10000 }));

    it("refuses a second receive form opened before the first was confirmed: no second receipt, no second supply posting", async () => {
      const { veg, detail } = await sentOrder();
      const staff = createCaller(ctxFor(staffReceiver, f.rid));
      // Two tabs opened the receive form on the same state of the order; each has its own idempotency key.
      const tabA = { orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: fullReceipt(detail) };
      const tabB = { orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: fullReceipt(detail) };
      const first = await staff.orders.receive(tabA);
      expect(first).toMatchObject({ status: "received", replayed: false });
      expect(first.version).toBeGreaterThan(detail.version);

      const refused = await staff.orders.receive(tabB).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainTRPCError);
      expect(refused).toMatchObject({ code: "CONFLICT", reason: "order_changed", details: { version: first.version, status: "received" } });
      // Tab A's own retry (a lost answer) is still answered with its receipt.
      await expect(staff.orders.receive(tabA)).resolves.toMatchObject({ receiptId: first.receiptId, replayed: true });

      expect(await withTenant(f.rid, (tx) => tx.select().from(receipts).where(eq(receipts.orderId, veg.id)))).toHaveLength(1);
      const postings = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings));
      expect(postings.map((p) => p.receiptId)).toEqual(postings.map(() => first.receiptId));
      expect(postings).toHaveLength(2);
      const lines = await orderLineRows(f.rid, veg.id);
      expect(lines.map((l) => [l.id, Number(l.receivedQuantity)]).sort()).toEqual(detail.lines.map((l) => [l.id, Number(l.quantity)]).sort());
    });

    it("a form reloaded after a partial receipt receives the rest", async () => {
      const { veg, detail } = await sentOrder();
      const [firstLine, ...rest] = fullReceipt(detail);
      const partial = await caller.orders.receive({ orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: [firstLine!] });
      expect(partial.status).toBe("partially_received");
      const stale = caller.orders.receive({ orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: rest });
      await expect(stale).rejects.toMatchObject({ reason: "order_changed" });
      const reloaded = await caller.orders.get({ orderId: veg.id });
      expect(reloaded.version).toBe(partial.version);
      const done = await caller.orders.receive({ orderId: veg.id, version: reloaded.version, idempotencyKey: randomUUID(), lines: fullReceipt(reloaded) });
      expect(done.status).toBe("received");
    });

    it("line edits, the note, sending and cancelling are refused against an older version; a merge into the draft moves it on", async () => {
      const { veg } = await draftOrders();
      const opened = await caller.orders.get({ orderId: veg.id });
      const sugar = opened.lines.find((l) => l.productId === f.sugar.id)!;
      const edited = await caller.orders.updateLine({ orderId: veg.id, version: opened.version, lineId: sugar.id, quantity: "2" });
      expect(edited.version).toBe(opened.version + 1);
      // The other tab still shows `opened`.
      await expect(caller.orders.updateLine({ orderId: veg.id, version: opened.version, lineId: sugar.id, quantity: "5" })).rejects.toMatchObject({ code: "CONFLICT", reason: "order_changed" });
      await expect(caller.orders.removeLine({ orderId: veg.id, version: opened.version, lineId: sugar.id })).rejects.toMatchObject({ reason: "order_changed" });
      await expect(caller.orders.update({ orderId: veg.id, version: opened.version, note: "stale" })).rejects.toMatchObject({ reason: "order_changed" });
      const noted = await caller.orders.update({ orderId: veg.id, version: edited.version, note: "fresh" });
      expect(noted.version).toBe(edited.version + 1);

      // New requests merged into the draft: a page that has not seen them must not send the order without them.
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.herbs.id, "4"]]);
      await caller.orders.merge({ deliveryDate: "2026-12-01" });
      await expect(caller.orders.send({ orderId: veg.id, version: noted.version, channel: "whatsapp" })).rejects.toMatchObject({ reason: "order_changed" });
      await expect(caller.orders.cancel({ orderId: veg.id, version: noted.version })).rejects.toMatchObject({ reason: "order_changed" });
      const current = await caller.orders.get({ orderId: veg.id });
      expect(current.version).toBe(noted.version + 1);
      expect(current.status).toBe("draft");
      const sent = await caller.orders.send({ orderId: veg.id, version: current.version, channel: "whatsapp" });
      expect(sent.text).toContain("Herbs");
      expect(sent.version).toBe(current.version + 1);
      const [row] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.id, sugar.id)));
      expect(Number(row!.quantity)).toBe(2);
    });

    it("reaches the browser as data.reason (the error formatter), which the UI translates", async () => {
      const { veg, detail } = await sentOrder();
      const ctx = ctxFor(manager, f.rid);
      const client = createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({
            url: "http://localhost/api/trpc",
            transformer: superjson,
            fetch: (url, init) => fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url, init as RequestInit), router: appRouter, createContext: () => ctx }),
          }),
        ],
      });
      await client.orders.receive.mutate({ orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: fullReceipt(detail) });
      const refused = await client.orders.receive.mutate({ orderId: veg.id, version: detail.version, idempotencyKey: randomUUID(), lines: fullReceipt(detail) }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TRPCClientError);
      expect((refused as TRPCClientError<AppRouter>).data).toMatchObject({ code: "CONFLICT", httpStatus: 409, reason: "order_changed", details: { status: "received" } });
    });
  });

  describe("permissions", () => {
    it("staff without the send capability cannot send; with receive they can receive but not manage", async () => {
      const { veg } = await draftOrders();
      const staff = createCaller(ctxFor(staffReceiver, f.rid));
      await expect(staff.orders.send({ orderId: veg.id, version: 1, channel: "whatsapp" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(staff.orders.merge()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(staff.orders.cancel({ orderId: veg.id, version: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(staff.orders.get({ orderId: veg.id })).resolves.toMatchObject({ id: veg.id });
      const [after] = await withTenant(f.rid, (tx) => tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, veg.id)));
      expect(after!.status).toBe("draft");
    });

    it("another restaurant's manager cannot see or touch the order", async () => {
      const { veg } = await draftOrders();
      const other = await setupRestaurant("en");
      const outsider = await createUser();
      await addMembership({ restaurantId: other.rid, userId: outsider.id, role: "owner" });
      const theirs = createCaller(ctxFor(outsider, other.rid));
      await expect(theirs.orders.get({ orderId: veg.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(theirs.orders.send({ orderId: veg.id, version: 1, channel: "copy" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  describe("Poster supply posting (simulator)", () => {
    let sim: PosterSimulator;
    let dropNextCreate = false;
    const clientFor = (): PosterClient => {
      const account = sim.account(SIM_LOGIN);
      return createPosterClient({
        baseUrl: "http://poster.sim",
        accountNumber: account.profile.accountNumber,
        token: account.token,
        limiter: createPosterLimiter({ redis: null }),
        retry: { retries: 0 },
        // A lost response: Poster applies the supply but the answer never arrives.
        fetch: async (input, init) => {
          const response = await sim.fetch(input, init);
          if (dropNextCreate && String(input instanceof Request ? input.url : input).includes("storage.createSupply")) {
            dropNextCreate = false;
            throw new TypeError("fetch failed");
          }
          return response;
        },
      });
    };
    const deps = { getClient: () => Promise.resolve(clientFor()) };
    const supplies = () => sim.account(SIM_LOGIN).data.supplies;

    beforeEach(() => {
      sim = createPosterSimulator({ webhooks: { url: null } });
      dropNextCreate = false;
    });

    async function receivedPostings() {
      // A local product (no Poster id) on the same order: received, but left out of the supply.
      await submitRequest(f.rid, manager.id, f.kitchen.id, [[f.herbs.id, "3"]]);
      const { veg } = await draftOrders();
      await caller.orders.send({ orderId: veg.id, version: await versionOf(veg.id), channel: "copy" });
      const detail = await caller.orders.get({ orderId: veg.id });
      const result = await caller.orders.receive({
        orderId: veg.id,
        version: await versionOf(veg.id),
        idempotencyKey: randomUUID(),
        lines: detail.lines.map((l) => ({ lineId: l.id, quantity: l.productId === f.tomato.id && l.departmentId === f.kitchen.id ? "2" : l.quantity, priceMinor: 12345 })),
      });
      const kitchen = result.postings.find((p) => p.idempotencyKey.endsWith(f.kitchen.id))!;
      const bar = result.postings.find((p) => p.idempotencyKey.endsWith(f.bar.id))!;
      return { veg, receiptId: result.receiptId, kitchen, bar };
    }

    it("posts one supply per storage with the received lines; a duplicate delivery is a no-op", async () => {
      const { kitchen, bar } = await receivedPostings();
      // Queued in the receipt's own transaction (no job runner runs in this test): one job per posting.
      const [pending] = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, kitchen.id)));
      expect(pending!.status).toBe("pending");
      const queued = await withTenant(f.rid, (tx) => tx.select().from(jobs).where(eq(jobs.kind, "supply.post")));
      expect(queued.map((j) => [j.dedupKey, j.payload, j.status]).sort()).toEqual(
        // The payload also carries the receiving request's id (REQUEST_ID_KEY), for the job's log lines and reports.
        [[`supply.post:${kitchen.idempotencyKey}`, { postingId: kitchen.id, _requestId: expect.any(String) }, "queued"], [`supply.post:${bar.idempotencyKey}`, { postingId: bar.id, _requestId: expect.any(String) }, "queued"]].sort(),
      );

      const first = await postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps);
      const again = await postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps);
      expect(again).toMatchObject({ posterSupplyId: first.posterSupplyId, alreadyPosted: true });
      await postSupply({ restaurantId: f.rid, postingId: bar.id }, deps);

      expect(supplies()).toHaveLength(2);
      const kitchenSupply = supplies().find((s) => s.id === first.posterSupplyId)!;
      expect(kitchenSupply).toMatchObject({ storageId: 1, supplierId: 1 });
      expect(kitchenSupply.comment).toContain("Заказ №");
      expect(kitchenSupply.comment).toContain(supplyMarker(kitchen.idempotencyKey));
      expect(kitchenSupply.date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      // Tomatoes 2 kg and sugar 1 kg at 123.45 each; the local "Herbs" product is not sent.
      expect(kitchenSupply.lines.map((l) => [l.ingredientId, l.type, l.numScaled / 100_000, l.totalMinor]).sort()).toEqual(
        [[1, 4, 2, 24690], [4, 4, 1, 12345]].sort(),
      );
      const barSupply = supplies().find((s) => s.storageId === 2)!;
      expect(barSupply.lines.map((l) => [l.ingredientId, l.numScaled / 100_000])).toEqual([[1, 1]]);

      const [stored] = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, kitchen.id)));
      expect(stored).toMatchObject({ status: "posted", posterSupplyId: first.posterSupplyId, lastError: expect.stringContaining("Herbs") });
      expect(stored!.postedAt).toBeInstanceOf(Date);
    });

    it("concurrent duplicate deliveries make one supply", async () => {
      const { kitchen } = await receivedPostings();
      const results = await Promise.allSettled([postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps), postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps)]);
      expect(results.some((r) => r.status === "fulfilled")).toBe(true);
      await postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps).catch(() => undefined);
      expect(supplies()).toHaveLength(1);
    });

    it("after a lost response, the retry finds the supply by its marker instead of making a second", async () => {
      const { kitchen } = await receivedPostings();
      dropNextCreate = true;
      await expect(postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps)).rejects.toMatchObject({ retryable: true });
      expect(supplies()).toHaveLength(1);
      const [failed] = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, kitchen.id)));
      expect(failed!.status).toBe("failed");

      const retried = await postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps);
      expect(retried).toMatchObject({ recovered: true, posterSupplyId: supplies()[0]!.id });
      expect(supplies()).toHaveLength(1);
    });

    it("fails clearly when the storage has no Poster id, and a manager's retry re-queues it", async () => {
      const { kitchen } = await receivedPostings();
      await withTenant(f.rid, (tx) => tx.update(departments).set({ posterStorageId: null }).where(eq(departments.id, f.kitchen.id)));
      await expect(postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps)).rejects.toMatchObject({ retryable: false });
      const [failed] = await withTenant(f.rid, (tx) => tx.select().from(supplyPostings).where(eq(supplyPostings.id, kitchen.id)));
      expect(failed).toMatchObject({ status: "failed", lastError: expect.stringContaining("Kitchen") });
      expect(supplies()).toHaveLength(0);

      await withTenant(f.rid, (tx) => tx.update(departments).set({ posterStorageId: 1 }).where(eq(departments.id, f.kitchen.id)));
      await expect(createCaller(ctxFor(staffReceiver, f.rid)).orders.retryPosting({ postingId: kitchen.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.orders.retryPosting({ postingId: kitchen.id })).resolves.toMatchObject({ status: "pending" });
      await expect(caller.orders.retryPosting({ postingId: kitchen.id })).resolves.toMatchObject({ status: "pending" });
      const ok = await postSupply({ restaurantId: f.rid, postingId: kitchen.id }, deps);
      expect(supplies()).toEqual([expect.objectContaining({ id: ok.posterSupplyId, storageId: 1 })]);
    });
  });
});
