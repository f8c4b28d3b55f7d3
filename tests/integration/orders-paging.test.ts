import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/scope";
import { purchaseOrders, suppliers } from "@/db/schema";
import { ORDERS_PAGE_SIZE } from "@/server/purchasing/orders";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

const STATUSES = ["draft", "sent", "partially_received", "received", "cancelled"] as const;

describe(`orders list paging (${testDatabaseKind()})`, () => {
  let manager: { id: string; sessionVersion: number; sessionId: string };
  let restaurantId: string;
  const TOTAL = 137;

  beforeAll(async () => {
    await openTestDatabase();
    restaurantId = (await createRestaurant()).id;
    manager = await createUser();
    await addMembership({ restaurantId, userId: manager.id, role: "manager" });
    await withTenant(restaurantId, async (tx) => {
      const [s] = await tx.insert(suppliers).values({ restaurantId, name: "Farm" }).returning();
      // Many orders share a delivery date, so the number must break the ties for the pages to be stable.
      await tx.insert(purchaseOrders).values(
        Array.from({ length: TOTAL }, (_, i) => ({
          restaurantId,
          number: i + 1,
          supplierId: s!.id,
          deliveryDate: `2026-11-${String(1 + (i % 7)).padStart(2, "0")}`,
          status: STATUSES[i % STATUSES.length]!,
        })),
      );
    });
  });
  afterAll(closeDatabase);

  const api = () =>
    createCaller(createInnerContext({ session: { userId: manager.id, sessionVersion: manager.sessionVersion, sessionId: manager.sessionId }, requestedRestaurantId: restaurantId }));

  it("pages through every order once, in a stable order, each page bounded", async () => {
    const seen: number[] = [];
    let cursor: { deliveryDate: string; number: number } | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof api>["orders"]["list"]>> = await api().orders.list({ limit: 20, cursor, direction: "forward" });
      expect(page.orders.length).toBeLessThanOrEqual(20);
      // The summary and counts come with the first page only.
      expect(page.requests === null).toBe(pages > 0);
      seen.push(...page.orders.map((o) => o.number));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(TOTAL / 20));
    expect(new Set(seen).size).toBe(TOTAL);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    const { orders } = await api().orders.list({ limit: 100 });
    const keys = orders.map((o) => `${o.deliveryDate}#${String(o.number).padStart(4, "0")}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it("answers at most a page by default, with the counts of the whole list", async () => {
    const first = await api().orders.list();
    expect(first.orders).toHaveLength(ORDERS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    expect(Object.values(first.statusCounts ?? {}).reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(first.statusCounts?.draft).toBe(Math.ceil(TOTAL / STATUSES.length));
  });

  it("pages within a filter", async () => {
    const all: number[] = [];
    let cursor: { deliveryDate: string; number: number } | null = null;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof api>["orders"]["list"]>> = await api().orders.list({ status: ["sent"], limit: 7, cursor });
      all.push(...page.orders.map((o) => o.number));
      expect(page.orders.every((o) => o.status === "sent")).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % STATUSES.length === 1).length);
  });

  it("refuses a page size above 100 and a malformed cursor", async () => {
    await expect(api().orders.list({ limit: 101 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api().orders.list({ cursor: { deliveryDate: "2026-13-01", number: 1 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
