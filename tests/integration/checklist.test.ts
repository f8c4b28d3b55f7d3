import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import {
  categories,
  departments,
  membershipDepartments,
  productDepartments,
  products,
  purchaseOrderLines,
  purchaseOrders,
  purchaseRequestLines,
  purchaseRequests,
  suppliers,
} from "@/db/schema";
import { decodeChecklist } from "@/server/checklist";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

type User = { id: string; sessionVersion: number; sessionId: string };

describe(`checklist (${testDatabaseKind()})`, () => {
  let restaurantId: string;
  let otherRestaurantId: string;
  let kitchen: string;
  let bar: string;
  let manager: User;
  let staff: User;
  let outsider: User;
  const product: Record<string, string> = {};
  let veg: string;
  let dairy: string;

  const caller = (user: User, restaurant = restaurantId) =>
    createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId }, requestedRestaurantId: restaurant }));
  const byName = async (user: User, departmentId: string) => {
    const list = decodeChecklist(await caller(user).checklist.department({ departmentId }));
    return new Map(list.products.map((p) => [p.name, p]));
  };

  beforeAll(async () => {
    await openTestDatabase();
    const r = await createRestaurant();
    restaurantId = r.id;
    otherRestaurantId = (await createRestaurant()).id;
    manager = await createUser();
    staff = await createUser();
    outsider = await createUser();
    await addMembership({ restaurantId, userId: manager.id, role: "manager" });
    const staffMembership = await addMembership({ restaurantId, userId: staff.id, role: "staff" });
    await addMembership({ restaurantId: otherRestaurantId, userId: outsider.id, role: "owner" });

    await withPlatform("test", async (tx) => {
      const [k, b] = await tx
        .insert(departments)
        .values([
          { restaurantId, name: "Kitchen", sortOrder: 1 },
          { restaurantId, name: "Bar", sortOrder: 2 },
        ])
        .returning();
      kitchen = k!.id;
      bar = b!.id;
      await tx.insert(membershipDepartments).values({ restaurantId, membershipId: staffMembership.id, departmentId: kitchen });
      const [s1, s2] = await tx
        .insert(suppliers)
        .values([
          { restaurantId, name: "Veg Ltd" },
          { restaurantId, name: "Dairy Co" },
        ])
        .returning();
      veg = s1!.id;
      dairy = s2!.id;
      const [cat] = await tx.insert(categories).values({ restaurantId, name: "Dairy", defaultSupplierId: dairy }).returning();
      const rows = await tx
        .insert(products)
        .values([
          { restaurantId, name: "Potatoes", unit: "kg", supplierId: veg },
          { restaurantId, name: "Milk", unit: "l", categoryId: cat!.id },
          { restaurantId, name: "Eggs", unit: "p", supplierId: dairy },
          { restaurantId, name: "Onions", unit: "kg", supplierId: veg },
          { restaurantId, name: "Salt", unit: "kg" },
          { restaurantId, name: "Hidden thing", unit: "p" },
          { restaurantId, name: "Old thing", unit: "p", isArchived: true },
          { restaurantId, name: "Lime", unit: "p", supplierId: veg },
          { restaurantId, name: "Flour", unit: "kg", supplierId: veg },
        ])
        .returning();
      for (const p of rows) product[p.name] = p.id;
      const place = (name: string, departmentId: string, parLevel: string | null, stock: string | null, extra: Partial<typeof productDepartments.$inferInsert> = {}) => ({
        restaurantId,
        productId: product[name]!,
        departmentId,
        parLevel,
        stock,
        stockSyncedAt: stock === null ? null : new Date(),
        ...extra,
      });
      await tx.insert(productDepartments).values([
        place("Potatoes", kitchen, "10", "2.5"),
        place("Milk", kitchen, "8", null),
        place("Eggs", kitchen, "30", "-4"),
        place("Onions", kitchen, "5", "7.25"),
        place("Salt", kitchen, null, "1"),
        place("Hidden thing", kitchen, "1", "0", { isHidden: true }),
        place("Old thing", kitchen, "1", "0"),
        place("Flour", kitchen, "20.5", "0.125"),
        place("Lime", bar, "50", "10"),
        // The same product in another storage: its stock there must not leak into the kitchen's.
        place("Potatoes", bar, "3", "100"),
      ]);

      const order = async (status: (typeof purchaseOrders.$inferInsert)["status"], number: number) => {
        const [o] = await tx
          .insert(purchaseOrders)
          .values({ restaurantId, number, supplierId: veg, deliveryDate: "2026-12-01", status })
          .returning();
        return o!.id;
      };
      const sent = await order("sent", 1);
      const partial = await order("partially_received", 2);
      const received = await order("received", 3);
      const cancelled = await order("cancelled", 4);
      const draft = await order("draft", 5);
      const line = (orderId: string, name: string, departmentId: string, quantity: string, receivedQuantity = "0", status: "open" | "received" | "cancelled" = "open") => ({
        restaurantId,
        orderId,
        productId: product[name]!,
        departmentId,
        quantity,
        receivedQuantity,
        status,
      });
      await tx.insert(purchaseOrderLines).values([
        // Potatoes in the kitchen: 2 (sent) + (3 − 1.5) (partially received) + 0.25 (draft PO) = 3.75 on order.
        line(sent, "Potatoes", kitchen, "2"),
        line(partial, "Potatoes", kitchen, "3", "1.5"),
        line(draft, "Potatoes", kitchen, "0.25"),
        // Not counted: a received order, a cancelled order, a cancelled line, another department.
        line(received, "Potatoes", kitchen, "50", "50", "received"),
        line(cancelled, "Potatoes", kitchen, "40"),
        line(sent, "Flour", kitchen, "9", "0", "cancelled"),
        line(sent, "Potatoes", bar, "7"),
        // Over-delivered open line: counts as 0, never negative.
        line(partial, "Onions", kitchen, "1", "2"),
      ]);
    });
  });
  afterAll(closeDatabase);

  describe("suggestion", () => {
    it("is par − stock − on order, with decimals, and on order counts only open lines of open orders in this department", async () => {
      const list = await byName(manager, kitchen);
      const potatoes = list.get("Potatoes")!;
      expect(potatoes.stock).toBe("2.5");
      expect(potatoes.parLevel).toBe("10");
      expect(potatoes.onOrder).toBe("3.75");
      // 10 − 2.5 − 3.75 = 3.75
      expect(potatoes.suggested).toBe("3.75");
      expect(potatoes.explanation).toMatchObject({ par: "10", stock: "2.5", stockUsed: "2.5", onOrder: "3.75", suggested: "3.75", stockMissing: false, stockNegative: false });
      expect(potatoes.supplier).toEqual({ id: veg, name: "Veg Ltd" });
      // 20.5 − 0.125 − 0 (the open Flour line is cancelled) = 20.375
      expect(list.get("Flour")!.suggested).toBe("20.375");
      expect(list.get("Flour")!.onOrder).toBe("0");
    });

    it("is never below zero, and an over-delivered line is not negative on order", async () => {
      const onions = (await byName(manager, kitchen)).get("Onions")!;
      expect(onions.onOrder).toBe("0");
      expect(onions.suggested).toBe("0");
    });

    it("says when there is no stock data instead of showing 0, and counts it as 0", async () => {
      const milk = (await byName(manager, kitchen)).get("Milk")!;
      expect(milk.stock).toBeNull();
      expect(milk.stockSyncedAt).toBeNull();
      expect(milk.suggested).toBe("8");
      expect(milk.explanation).toMatchObject({ stock: null, stockUsed: "0", stockMissing: true });
      // Effective supplier: the category's default.
      expect(milk.supplier).toEqual({ id: dairy, name: "Dairy Co" });
    });

    it("counts negative stock as 0 and flags it", async () => {
      const eggs = (await byName(manager, kitchen)).get("Eggs")!;
      expect(eggs.stock).toBe("-4");
      expect(eggs.suggested).toBe("30");
      expect(eggs.explanation).toMatchObject({ stockUsed: "0", stockNegative: true });
    });

    it("is null without a par level", async () => {
      const salt = (await byName(manager, kitchen)).get("Salt")!;
      expect(salt.suggested).toBeNull();
      expect(salt.explanation.parMissing).toBe(true);
      expect(salt.supplier).toBeNull();
    });

    it("uses the stock of this storage only", async () => {
      const bars = await byName(manager, bar);
      expect(bars.get("Potatoes")!.stock).toBe("100");
      expect(bars.get("Potatoes")!.onOrder).toBe("7");
      expect(bars.get("Potatoes")!.suggested).toBe("0");
    });
  });

  describe("department list", () => {
    it("leaves out hidden and archived products, and searches by name", async () => {
      const list = await byName(manager, kitchen);
      expect([...list.keys()].sort()).toEqual(["Eggs", "Flour", "Milk", "Onions", "Potatoes", "Salt"]);
      const found = decodeChecklist(await caller(manager).checklist.department({ departmentId: kitchen, search: "pOt" }));
      expect(found.products.map((p) => p.name)).toEqual(["Potatoes"]);
      const wildcard = decodeChecklist(await caller(manager).checklist.department({ departmentId: kitchen, search: "%" }));
      expect(wildcard.products).toHaveLength(0);
    });

    it("lets staff into their department only", async () => {
      await expect(caller(staff).checklist.department({ departmentId: kitchen })).resolves.toBeTruthy();
      await expect(caller(staff).checklist.department({ departmentId: bar })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller(staff).checklist.saveLine({ departmentId: bar, productId: product.Lime!, quantity: "1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller(staff).checklist.submit({ departmentId: bar })).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("does not find another restaurant's department", async () => {
      await expect(caller(outsider, otherRestaurantId).checklist.department({ departmentId: kitchen })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller(outsider, otherRestaurantId).checklist.saveLine({ departmentId: kitchen, productId: product.Potatoes!, quantity: "1" })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });
  });

  describe("draft", () => {
    it("upserts one line per product: the same edit twice is one row, a later edit updates it", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "manager" });
      const c = caller(user);
      const first = await c.checklist.saveLine({ departmentId: kitchen, productId: product.Potatoes!, quantity: "2,5", clientMutationId: "m1" });
      const again = await c.checklist.saveLine({ departmentId: kitchen, productId: product.Potatoes!, quantity: "2,5", clientMutationId: "m1" });
      expect(first).toMatchObject({ quantity: "2.5", clientMutationId: "m1" });
      expect(again.draftId).toBe(first.draftId);
      await Promise.all([
        c.checklist.saveLine({ departmentId: kitchen, productId: product.Milk!, quantity: "1" }),
        c.checklist.saveLine({ departmentId: kitchen, productId: product.Milk!, quantity: "1" }),
      ]);
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Potatoes!, quantity: "4.125" });

      const rows = await withPlatform("test", (tx) => tx.select().from(purchaseRequestLines).where(eq(purchaseRequestLines.requestId, first.draftId)));
      expect(rows.map((r) => [r.productId, r.quantity]).sort()).toEqual(
        [
          [product.Potatoes, "4.125"],
          [product.Milk, "1.000"],
        ].sort(),
      );
      const drafts = await withPlatform("test", (tx) =>
        tx.select().from(purchaseRequests).where(and(eq(purchaseRequests.createdBy, user.id), eq(purchaseRequests.status, "draft"))),
      );
      expect(drafts).toHaveLength(1);

      const draft = await c.checklist.draft({ departmentId: kitchen });
      expect(draft?.lines).toEqual([
        { productId: product.Potatoes, quantity: "4.125" },
        { productId: product.Milk, quantity: "1" },
      ]);
      expect((await byName(user, kitchen)).get("Potatoes")!.draftQuantity).toBe("4.125");
      // Another user's draft is their own.
      expect((await byName(manager, kitchen)).get("Potatoes")!.draftQuantity).toBeNull();
    });

    it("two devices on one draft: the last write per line wins and answers what it replaced", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "manager" });
      const phone = caller(user);
      const tablet = caller(user);
      // Both devices loaded the draft with no eggs; the phone saves 12 first.
      const fromPhone = await phone.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "12", baseQuantity: "0" });
      expect(fromPhone.replaced).toBeNull();
      // The tablet, still showing nothing, saves 30: it wins, and says it replaced the phone's 12.
      const fromTablet = await tablet.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "30", baseQuantity: "" });
      expect(fromTablet).toMatchObject({ quantity: "30", replaced: "12" });
      expect((await phone.checklist.draft({ departmentId: kitchen }))?.lines).toEqual([{ productId: product.Eggs, quantity: "30" }]);
      // The phone, having seen 30 now, removes the line: nothing replaced.
      await expect(phone.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "0", baseQuantity: "30" })).resolves.toMatchObject({ replaced: null });
      // The tablet's stale 30 → 2,5 replaces the removal ("0"); the same value twice is no conflict.
      await expect(tablet.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "2,5", baseQuantity: "30" })).resolves.toMatchObject({ replaced: "0" });
      await expect(phone.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "2.5", baseQuantity: "0" })).resolves.toMatchObject({ replaced: null });
      // Without a base (an edit stored by an older client) nothing is compared.
      await expect(phone.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "1" })).resolves.toMatchObject({ replaced: null });
    });

    it("removes a line on 0 or empty", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "manager" });
      const c = caller(user);
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "12" });
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Milk!, quantity: "3" });
      await expect(c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "0" })).resolves.toMatchObject({ quantity: "0" });
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Milk!, quantity: "" });
      expect((await c.checklist.draft({ departmentId: kitchen }))?.lines).toEqual([]);
    });

    it("refuses bad quantities with BAD_REQUEST and writes nothing", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "manager" });
      const c = caller(user);
      for (const quantity of ["-1", "abc", "1.2345", "1e3", "100000.001", "1,2,3", "."]) {
        await expect(c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity }), quantity).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }
      await expect(c.checklist.saveLine({ departmentId: "not-a-uuid", productId: product.Eggs!, quantity: "1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(c.checklist.draft({ departmentId: kitchen })).resolves.toBeNull();
      // Trailing zeros beyond 3 places are still 3 decimals.
      await expect(c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "1.50000" })).resolves.toMatchObject({ quantity: "1.5" });
    });

    it("refuses a product that is not in the department", async () => {
      await expect(caller(manager).checklist.saveLine({ departmentId: kitchen, productId: product.Lime!, quantity: "1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller(manager).checklist.saveLine({ departmentId: kitchen, productId: product["Old thing"]!, quantity: "1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  describe("submit", () => {
    it("refuses an empty draft, submits with a note, and answers a second submit with the same request", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "staff" }).then((m) =>
        withPlatform("test", (tx) => tx.insert(membershipDepartments).values({ restaurantId, membershipId: m.id, departmentId: kitchen })),
      );
      const c = caller(user);
      await expect(c.checklist.submit({ departmentId: kitchen })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/no draft/i) });
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "0" });
      await expect(c.checklist.submit({ departmentId: kitchen })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/empty/i) });

      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "30" });
      await c.checklist.saveLine({ departmentId: kitchen, productId: product.Flour!, quantity: "2.5" });
      const submitted = await c.checklist.submit({ departmentId: kitchen, note: "  before noon please " });
      expect(submitted).toMatchObject({ status: "submitted", note: "before noon please", lineCount: 2, alreadySubmitted: false });
      expect(submitted.submittedAt).toBeInstanceOf(Date);

      const again = await c.checklist.submit({ departmentId: kitchen, note: "before noon please" });
      expect(again).toMatchObject({ id: submitted.id, alreadySubmitted: true, lineCount: 2 });
      const rows = await withPlatform("test", (tx) => tx.select().from(purchaseRequests).where(eq(purchaseRequests.createdBy, user.id)));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe("submitted");

      // The next edit starts a new draft; the submitted request keeps its lines.
      const next = await c.checklist.saveLine({ departmentId: kitchen, productId: product.Eggs!, quantity: "1" });
      expect(next.draftId).not.toBe(submitted.id);
      expect((await byName(user, kitchen)).get("Flour")!.draftQuantity).toBeNull();
    });

    it("two concurrent submits make one request", async () => {
      const user = await createUser();
      await addMembership({ restaurantId, userId: user.id, role: "manager" });
      const c = caller(user);
      await c.checklist.saveLine({ departmentId: bar, productId: product.Lime!, quantity: "40" });
      const [a, b] = await Promise.all([c.checklist.submit({ departmentId: bar }), c.checklist.submit({ departmentId: bar })]);
      expect(a.id).toBe(b.id);
      expect([a.alreadySubmitted, b.alreadySubmitted].sort()).toEqual([false, true]);
    });
  });

  describe("dashboard", () => {
    it("shows a manager every department with counts, the status and the last order", async () => {
      const d = await caller(manager).checklist.dashboard();
      expect(d.departments.map((x) => [x.name, x.productCount])).toEqual([
        ["Kitchen", 6],
        ["Bar", 2],
      ]);
      expect(d.productCount).toBe(8);
      expect(d.status.deliveriesInTransit).toBe(2);
      expect(d.status.ordersToSend).toBe(1);
      expect(d.status.requestsWaiting).toBeGreaterThanOrEqual(1);
      // Salt, Hidden thing: no own supplier and no category default (archived products do not count).
      expect(d.status.unsortedProducts).toBe(2);
      expect(d.lastOrder).toMatchObject({ number: 5, supplierName: "Veg Ltd", status: "draft", deliveryDate: "2026-12-01" });
    });

    it("shows staff their own department with their draft lines, and no unsorted count", async () => {
      await caller(staff).checklist.saveLine({ departmentId: kitchen, productId: product.Salt!, quantity: "1" });
      const d = await caller(staff).checklist.dashboard();
      expect(d.departments).toEqual([{ id: kitchen, name: "Kitchen", productCount: 6, draftLines: 1 }]);
      expect(d.status.unsortedProducts).toBeNull();
      expect(d.status.deliveriesInTransit).toBe(2);
    });
  });
});
