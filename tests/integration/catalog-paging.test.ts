import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/scope";
import { categories, departments, productDepartments, products, purchaseRequestLines, purchaseRequests, suppliers } from "@/db/schema";
import { PRODUCTS_PAGE_SIZE } from "@/server/catalog/products";
import { UNSORTED_PAGE_SIZE } from "@/server/purchasing/aggregate";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

/**
 * The catalogue's products of a department and the unsorted list grow with the restaurant: both are keyset-paged on
 * the server. Walking every page visits every row exactly once, in the list's order, each page bounded; ties in the
 * sort key (products with the same name, the same category) are broken by the id.
 */
describe(`catalogue and unsorted paging (${testDatabaseKind()})`, () => {
  const TOTAL = 263;
  let manager: { id: string; sessionVersion: number; sessionId: string };
  let restaurantId: string;
  let kitchen: string;
  let other: string;
  let otherProduct: string;

  beforeAll(async () => {
    await openTestDatabase();
    restaurantId = (await createRestaurant()).id;
    manager = await createUser();
    await addMembership({ restaurantId, userId: manager.id, role: "manager" });
    await withTenant(restaurantId, async (tx) => {
      const [k, b] = await tx.insert(departments).values([{ restaurantId, name: "Kitchen" }, { restaurantId, name: "Bar" }]).returning();
      kitchen = k!.id;
      other = b!.id;
      const cats = await tx.insert(categories).values([{ restaurantId, name: "Dairy" }, { restaurantId, name: "Веган" }, { restaurantId, name: "Bakery" }]).returning();
      // Every fifth product has no category (listed last), names repeat (the id breaks the tie), none has a supplier.
      const rows = await tx
        .insert(products)
        .values(
          Array.from({ length: TOTAL }, (_, i) => ({
            restaurantId,
            name: `Item ${String(i % 40).padStart(2, "0")}`,
            unit: "kg",
            categoryId: i % 5 === 0 ? null : cats[i % 3]!.id,
          })),
        )
        .returning({ id: products.id });
      await tx.insert(productDepartments).values(rows.map((r) => ({ restaurantId, productId: r.id, departmentId: kitchen })));
      const [elsewhere] = await tx.insert(products).values({ restaurantId, name: "Bar only", unit: "l" }).returning({ id: products.id });
      otherProduct = elsewhere!.id;
      await tx.insert(productDepartments).values({ restaurantId, productId: otherProduct, departmentId: other });
      await tx.insert(suppliers).values({ restaurantId, name: "Farm" });
      // Submitted requests from both departments for every product: all of them are unsorted (no supplier).
      const [r1, r2] = await tx
        .insert(purchaseRequests)
        .values([
          { restaurantId, departmentId: kitchen, createdBy: manager.id, status: "submitted", submittedAt: new Date() },
          { restaurantId, departmentId: other, createdBy: manager.id, status: "submitted", submittedAt: new Date() },
        ])
        .returning();
      await tx.insert(purchaseRequestLines).values(rows.map((r, i) => ({ restaurantId, requestId: r1!.id, productId: r.id, quantity: i % 2 ? "1.5" : "2" })));
      await tx.insert(purchaseRequestLines).values(rows.slice(0, 10).map((r) => ({ restaurantId, requestId: r2!.id, productId: r.id, quantity: "0.25" })));
    });
  });
  afterAll(closeDatabase);

  const api = () =>
    createCaller(createInnerContext({ session: { userId: manager.id, sessionVersion: manager.sessionVersion, sessionId: manager.sessionId }, requestedRestaurantId: restaurantId }));

  type ProductsPage = Awaited<ReturnType<ReturnType<typeof api>["catalog"]["products"]["byDepartment"]>>;
  type UnsortedPage = Awaited<ReturnType<ReturnType<typeof api>["orders"]["unsorted"]>>;

  it("pages a department's products: each once, in category (none last), name, id order", async () => {
    const seen: ProductsPage["products"] = [];
    let cursor: ProductsPage["nextCursor"] = null;
    let pages = 0;
    do {
      const page: ProductsPage = await api().catalog.products.byDepartment({ departmentId: kitchen, limit: 30, cursor });
      expect(page.products.length).toBeLessThanOrEqual(30);
      seen.push(...page.products);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(TOTAL / 30));
    expect(new Set(seen.map((p) => p.productId)).size).toBe(TOTAL);
    expect(seen.map((p) => p.productId)).not.toContain(otherProduct);
    // The whole list in one go (as Postgres orders it) equals the pages put together.
    const firstNull = seen.findIndex((p) => p.categoryName === null);
    expect(seen.slice(firstNull).every((p) => p.categoryName === null)).toBe(true);
    expect(seen.filter((p) => p.categoryName === null)).toHaveLength(Math.ceil(TOTAL / 5));
    const whole = await api().catalog.products.byDepartment({ departmentId: kitchen, limit: 200 });
    expect(whole.products.map((p) => p.productId)).toEqual(seen.slice(0, 200).map((p) => p.productId));
  });

  it("answers a bounded first page by default, and searches on the server", async () => {
    const first = await api().catalog.products.byDepartment({ departmentId: kitchen });
    expect(first.products).toHaveLength(PRODUCTS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const found: string[] = [];
    let cursor: ProductsPage["nextCursor"] = null;
    do {
      const page: ProductsPage = await api().catalog.products.byDepartment({ departmentId: kitchen, search: "item 07", limit: 2, cursor });
      found.push(...page.products.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(found).toEqual(Array.from({ length: Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 40 === 7).length }, () => "Item 07"));
    await expect(api().catalog.products.byDepartment({ departmentId: kitchen, limit: 201 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("pages the unsorted list: each product once, by name then id, quantities summed over departments", async () => {
    const seen: UnsortedPage["products"] = [];
    let cursor: UnsortedPage["nextCursor"] = null;
    let pages = 0;
    do {
      const page: UnsortedPage = await api().orders.unsorted({ limit: 50, cursor });
      expect(page.products.length).toBeLessThanOrEqual(50);
      // The suppliers to assign come with the first page only.
      expect(page.suppliers === null).toBe(pages > 0);
      seen.push(...page.products);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(TOTAL / 50));
    expect(new Set(seen.map((p) => p.productId)).size).toBe(TOTAL);
    const keys = seen.map((p) => `${p.name}#${p.productId}`);
    expect(keys).toEqual([...keys].sort());
    const both = seen.filter((p) => p.departments.length === 2);
    expect(both).toHaveLength(10);
    expect(both.every((p) => p.departments.join(",") === "Bar,Kitchen")).toBe(true);
    expect(both.every((p) => p.quantity === "2.25" || p.quantity === "1.75")).toBe(true);
    expect(seen.filter((p) => p.departments.length === 1).every((p) => p.quantity === "2" || p.quantity === "1.5")).toBe(true);
  });

  it("answers a bounded first unsorted page by default, filtered by search", async () => {
    const first = await api().orders.unsorted();
    expect(first.products).toHaveLength(UNSORTED_PAGE_SIZE);
    expect(first.suppliers?.map((s) => s.name)).toEqual(["Farm"]);
    const searched = await api().orders.unsorted({ search: "item 3" });
    expect(searched.products.length).toBeGreaterThan(0);
    expect(searched.products.every((p) => p.name.startsWith("Item 3"))).toBe(true);
  });
});
