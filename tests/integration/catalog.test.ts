import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { categories, departments, membershipDepartments, productDepartments, products, suppliers } from "@/db/schema";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

type User = { id: string; sessionVersion: number; sessionId: string };

describe(`catalogue management (${testDatabaseKind()})`, () => {
  let a: { id: string };
  let b: { id: string };
  let manager: User;
  let staff: User;
  let ownerB: User;
  let kitchen: string;
  let bar: string;
  let posterSupplier: string;
  let localSupplier: string;
  let archivedSupplier: string;
  let category: string;
  let potatoes: string;
  let onions: string;
  let milk: string;
  let bDepartment: string;
  let bSupplier: string;

  beforeAll(async () => {
    await openTestDatabase();
    a = await createRestaurant();
    b = await createRestaurant();
    manager = await createUser();
    staff = await createUser();
    ownerB = await createUser();
    await addMembership({ restaurantId: a.id, userId: manager.id, role: "manager" });
    const staffMembership = await addMembership({ restaurantId: a.id, userId: staff.id, role: "staff" });
    await addMembership({ restaurantId: b.id, userId: ownerB.id, role: "owner" });

    await withTenant(a.id, async (tx) => {
      const [k, br] = await tx
        .insert(departments)
        .values([
          { restaurantId: a.id, name: "Kitchen", posterStorageId: 1 },
          { restaurantId: a.id, name: "Bar", posterStorageId: 2 },
        ])
        .returning();
      kitchen = k!.id;
      bar = br!.id;
      await tx.insert(membershipDepartments).values({ restaurantId: a.id, membershipId: staffMembership.id, departmentId: kitchen });
      const [ps, ls, as] = await tx
        .insert(suppliers)
        .values([
          { restaurantId: a.id, posterSupplierId: 7, name: "Green Farm", posterPhone: "+7 900 000 00 07", address: "Farm road 1" },
          { restaurantId: a.id, name: "Corner Bakery" },
          { restaurantId: a.id, name: "Gone Ltd", isArchived: true },
        ])
        .returning();
      posterSupplier = ps!.id;
      localSupplier = ls!.id;
      archivedSupplier = as!.id;
      const [c] = await tx.insert(categories).values({ restaurantId: a.id, posterCategoryId: 1, name: "Vegetables" }).returning();
      category = c!.id;
      const [p1, p2, p3] = await tx
        .insert(products)
        .values([
          { restaurantId: a.id, posterIngredientId: 1, name: "Potatoes", unit: "kg", categoryId: category, supplierId: posterSupplier },
          { restaurantId: a.id, posterIngredientId: 2, name: "Onions", unit: "kg", categoryId: category },
          { restaurantId: a.id, posterIngredientId: 3, name: "Milk", unit: "l" },
        ])
        .returning();
      potatoes = p1!.id;
      onions = p2!.id;
      milk = p3!.id;
      await tx.insert(productDepartments).values([
        { restaurantId: a.id, productId: potatoes, departmentId: kitchen, parLevel: "10", stock: "4.5" },
        { restaurantId: a.id, productId: onions, departmentId: kitchen, parLevel: "5", stock: null },
        { restaurantId: a.id, productId: milk, departmentId: bar, parLevel: "3", stock: "-1" },
      ]);
    });
    await withTenant(b.id, async (tx) => {
      const [d] = await tx.insert(departments).values({ restaurantId: b.id, name: "B kitchen" }).returning();
      bDepartment = d!.id;
      const [s] = await tx.insert(suppliers).values({ restaurantId: b.id, name: "B supplier" }).returning();
      bSupplier = s!.id;
    });
  });
  afterAll(closeDatabase);

  const as = (user: User, restaurantId: string) =>
    createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId }, requestedRestaurantId: restaurantId }));
  const supplierRow = (id: string) => withPlatform("test", async (tx) => (await tx.select().from(suppliers).where(eq(suppliers.id, id)))[0]!);
  const placement = (productId: string, departmentId: string) =>
    withPlatform("test", async (tx) => {
      const rows = await tx.select().from(productDepartments).where(eq(productDepartments.productId, productId));
      return rows.find((r) => r.departmentId === departmentId)!;
    });

  describe("suppliers", () => {
    it("lists active suppliers by default, archived on request, and searches by name", async () => {
      const api = as(manager, a.id);
      const active = await api.catalog.suppliers.list({});
      expect(active.map((s) => s.name)).toEqual(["Corner Bakery", "Green Farm"]);
      const all = await api.catalog.suppliers.list({ includeArchived: true });
      expect(all.map((s) => s.name)).toContain("Gone Ltd");
      const found = await api.catalog.suppliers.list({ search: "farm" });
      expect(found.map((s) => s.id)).toEqual([posterSupplier]);
      expect(found[0]).toMatchObject({ isLocal: false, productCount: 1, effectivePhone: "+7 900 000 00 07" });
      // A LIKE wildcard in the search is literal.
      expect(await api.catalog.suppliers.list({ search: "%" })).toEqual([]);
    });

    it("creates a local supplier with validated contacts", async () => {
      const api = as(manager, a.id);
      const { id } = await api.catalog.suppliers.create({ name: "  Fish & Co  ", email: "Orders@Fish.example", telegram: "@fish_co_orders", preferredChannel: "telegram" });
      const row = await supplierRow(id);
      expect(row).toMatchObject({ restaurantId: a.id, posterSupplierId: null, name: "Fish & Co", email: "orders@fish.example", telegram: "fish_co_orders", preferredChannel: "telegram" });
    });

    it("overrides a Poster supplier's phone locally and keeps Poster-owned fields untouched", async () => {
      const api = as(manager, a.id);
      await api.catalog.suppliers.update({ id: posterSupplier, phone: "+7 (911) 123-45-67", email: "farm@example.com", comment: "Call before 10" });
      let [listed] = await api.catalog.suppliers.list({ search: "Green" });
      expect(listed).toMatchObject({ phone: "+7 (911) 123-45-67", posterPhone: "+7 900 000 00 07", effectivePhone: "+7 (911) 123-45-67", name: "Green Farm", address: "Farm road 1" });
      // A partial update changes only what it sends.
      await api.catalog.suppliers.update({ id: posterSupplier, preferredChannel: "email" });
      expect(await supplierRow(posterSupplier)).toMatchObject({ phone: "+7 (911) 123-45-67", email: "farm@example.com", preferredChannel: "email", comment: "Call before 10" });
      // Clearing the override falls back to Poster's phone.
      await api.catalog.suppliers.update({ id: posterSupplier, phone: "" });
      [listed] = await api.catalog.suppliers.list({ search: "Green" });
      expect(listed).toMatchObject({ phone: null, effectivePhone: "+7 900 000 00 07" });
    });

    it("refuses to rename a Poster supplier but renames a local one", async () => {
      const api = as(manager, a.id);
      await expect(api.catalog.suppliers.update({ id: posterSupplier, name: "Renamed" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.catalog.suppliers.update({ id: posterSupplier, address: "Elsewhere" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect((await supplierRow(posterSupplier)).name).toBe("Green Farm");
      await api.catalog.suppliers.update({ id: localSupplier, name: "Corner Bakery No. 2", address: "Main st 5" });
      expect(await supplierRow(localSupplier)).toMatchObject({ name: "Corner Bakery No. 2", address: "Main st 5" });
    });

    it.each([
      [{ email: "not-an-email" }],
      [{ phone: "call me" }],
      [{ phone: "12" }],
      [{ telegram: "a b" }],
      [{ preferredChannel: "pigeon" }],
      [{ name: "   " }],
      [{ unknownField: 1 }],
    ])("answers BAD_REQUEST to invalid contacts %j", async (patch) => {
      await expect(as(manager, a.id).catalog.suppliers.update({ id: localSupplier, ...(patch as object) } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("archives and restores a local supplier only", async () => {
      const api = as(manager, a.id);
      const { id } = await api.catalog.suppliers.create({ name: "Temporary" });
      await api.catalog.suppliers.setArchived({ id, archived: true });
      expect((await api.catalog.suppliers.list({})).map((s) => s.id)).not.toContain(id);
      await api.catalog.suppliers.setArchived({ id, archived: false });
      expect((await api.catalog.suppliers.list({})).map((s) => s.id)).toContain(id);
      await expect(api.catalog.suppliers.setArchived({ id: posterSupplier, archived: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("lets staff read suppliers but not change them", async () => {
      const api = as(staff, a.id);
      await expect(api.catalog.suppliers.list({})).resolves.not.toHaveLength(0);
      await expect(api.catalog.suppliers.create({ name: "Staff supplier" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.catalog.suppliers.update({ id: localSupplier, phone: "+7 900 111 22 33" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect((await supplierRow(localSupplier)).phone).toBeNull();
    });

    it("cannot reach another restaurant's supplier by id", async () => {
      await expect(as(manager, a.id).catalog.suppliers.update({ id: bSupplier, email: "x@example.com" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect((await supplierRow(bSupplier)).email).toBeNull();
    });
  });

  describe("categories", () => {
    it("lists categories with product counts and sets a default supplier", async () => {
      const api = as(manager, a.id);
      const [vegetables] = await api.catalog.categories.list();
      expect(vegetables).toMatchObject({ id: category, name: "Vegetables", productCount: 2, defaultSupplierId: null, isLocal: false });
      await api.catalog.categories.setDefaultSupplier({ categoryId: category, supplierId: localSupplier });
      const [after] = await api.catalog.categories.list();
      expect(after).toMatchObject({ defaultSupplierId: localSupplier, defaultSupplierName: expect.stringContaining("Corner Bakery") });
      // Onions have no supplier of their own: the category default shows as the fallback.
      const rows = (await api.catalog.products.byDepartment({ departmentId: kitchen })).products;
      expect(rows.find((r) => r.productId === onions)).toMatchObject({ supplierId: null, fallbackSupplierName: expect.stringContaining("Corner Bakery") });
    });

    it("refuses an archived supplier, another restaurant's supplier, and staff", async () => {
      await expect(as(manager, a.id).catalog.categories.setDefaultSupplier({ categoryId: category, supplierId: archivedSupplier })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(as(manager, a.id).catalog.categories.setDefaultSupplier({ categoryId: category, supplierId: bSupplier })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(staff, a.id).catalog.categories.setDefaultSupplier({ categoryId: category, supplierId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as(ownerB, b.id).catalog.categories.setDefaultSupplier({ categoryId: category, supplierId: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
      const [c] = await withPlatform("test", (tx) => tx.select().from(categories).where(eq(categories.id, category)));
      expect(c!.defaultSupplierId).toBe(localSupplier);
    });
  });

  describe("par levels per department", () => {
    it("lists a department's products with par level, stock (null = no data) and visibility", async () => {
      const rows = (await as(manager, a.id).catalog.products.byDepartment({ departmentId: kitchen })).products;
      expect(rows.map((r) => r.name)).toEqual(["Onions", "Potatoes"]);
      expect(rows.find((r) => r.productId === onions)).toMatchObject({ stock: null, isHidden: false });
      expect(rows.find((r) => r.productId === potatoes)).toMatchObject({ supplierName: "Green Farm", unit: "kg" });
    });

    it("saves decimal par levels (comma accepted) and clears one with null", async () => {
      const api = as(manager, a.id);
      await api.catalog.products.setParLevels({
        departmentId: kitchen,
        items: [
          { productId: potatoes, parLevel: "12,5" },
          { productId: onions, parLevel: null },
        ],
      });
      expect(Number((await placement(potatoes, kitchen)).parLevel)).toBe(12.5);
      expect((await placement(onions, kitchen)).parLevel).toBeNull();
      await api.catalog.products.setParLevels({ departmentId: kitchen, items: [{ productId: onions, parLevel: "0.125" }] });
      expect(Number((await placement(onions, kitchen)).parLevel)).toBe(0.125);
    });

    it.each(["-1", "1.2345", "abc", "", "1e3", "123456789012"])("answers BAD_REQUEST to the par level %j and changes nothing", async (parLevel) => {
      const before = (await placement(potatoes, kitchen)).parLevel;
      await expect(as(manager, a.id).catalog.products.setParLevels({ departmentId: kitchen, items: [{ productId: potatoes, parLevel }] })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
      expect((await placement(potatoes, kitchen)).parLevel).toBe(before);
    });

    it("refuses a product that is not in the department, without a partial write", async () => {
      const before = (await placement(potatoes, kitchen)).parLevel;
      await expect(
        as(manager, a.id).catalog.products.setParLevels({
          departmentId: kitchen,
          items: [
            { productId: potatoes, parLevel: "99" },
            { productId: milk, parLevel: "1" },
          ],
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect((await placement(potatoes, kitchen)).parLevel).toBe(before);
    });

    it("sets one par level for many products and copies stock as par where stock is known", async () => {
      const api = as(manager, a.id);
      await api.catalog.products.setBulkParLevel({ departmentId: kitchen, productIds: [potatoes, onions], parLevel: "7" });
      expect(Number((await placement(potatoes, kitchen)).parLevel)).toBe(7);
      expect(Number((await placement(onions, kitchen)).parLevel)).toBe(7);
      const result = await api.catalog.products.copyStockAsPar({ departmentId: kitchen, productIds: [potatoes, onions] });
      expect(result).toEqual({ updated: 1, skipped: 1 });
      expect(Number((await placement(potatoes, kitchen)).parLevel)).toBe(4.5);
      expect(Number((await placement(onions, kitchen)).parLevel)).toBe(7);
      // Negative stock (Poster allows it) never becomes a negative par level.
      await api.catalog.products.copyStockAsPar({ departmentId: bar, productIds: [milk] });
      expect(Number((await placement(milk, bar)).parLevel)).toBe(0);
    });

    it("hides and shows a product in one department only", async () => {
      const api = as(manager, a.id);
      await api.catalog.products.setHidden({ departmentId: kitchen, productIds: [onions], hidden: true });
      expect((await placement(onions, kitchen)).isHidden).toBe(true);
      const rows = (await api.catalog.products.byDepartment({ departmentId: kitchen })).products;
      expect(rows.find((r) => r.productId === onions)?.isHidden).toBe(true);
      await api.catalog.products.setHidden({ departmentId: kitchen, productIds: [onions], hidden: false });
      expect((await placement(onions, kitchen)).isHidden).toBe(false);
    });

    it("sets and clears a product's supplier", async () => {
      const api = as(manager, a.id);
      await api.catalog.products.setSupplier({ productIds: [onions, milk], supplierId: posterSupplier });
      const supplierOf = async (id: string) => (await withPlatform("test", (tx) => tx.select().from(products).where(eq(products.id, id))))[0]!.supplierId;
      expect(await supplierOf(onions)).toBe(posterSupplier);
      expect(await supplierOf(milk)).toBe(posterSupplier);
      await api.catalog.products.setSupplier({ productIds: [milk], supplierId: null });
      expect(await supplierOf(milk)).toBeNull();
      await expect(api.catalog.products.setSupplier({ productIds: [milk], supplierId: bSupplier })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(api.catalog.products.setSupplier({ productIds: [milk], supplierId: archivedSupplier })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    it("keeps staff to reading their own departments", async () => {
      const api = as(staff, a.id);
      expect((await api.catalog.products.byDepartment({ departmentId: kitchen })).products).toHaveLength(2);
      await expect(api.catalog.products.byDepartment({ departmentId: bar })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.catalog.products.setParLevels({ departmentId: kitchen, items: [{ productId: potatoes, parLevel: "1" }] })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.catalog.products.setHidden({ departmentId: kitchen, productIds: [potatoes], hidden: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.catalog.products.copyStockAsPar({ departmentId: kitchen, productIds: [potatoes] })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.catalog.products.setSupplier({ productIds: [potatoes], supplierId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("cannot touch another restaurant's department", async () => {
      await expect(as(manager, a.id).catalog.products.byDepartment({ departmentId: bDepartment })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(ownerB, b.id).catalog.products.setParLevels({ departmentId: kitchen, items: [{ productId: potatoes, parLevel: "1" }] })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });
  });

  describe("local products", () => {
    it("creates a local product in several departments with par levels, and archives it", async () => {
      const api = as(manager, a.id);
      const { id } = await api.catalog.products.createLocal({
        name: "Microgreens",
        unit: "tray",
        categoryId: category,
        supplierId: localSupplier,
        departments: [
          { departmentId: kitchen, parLevel: "2.5" },
          { departmentId: bar, parLevel: null },
        ],
      });
      const [row] = await withPlatform("test", (tx) => tx.select().from(products).where(eq(products.id, id)));
      expect(row).toMatchObject({ restaurantId: a.id, posterIngredientId: null, unit: "tray", supplierId: localSupplier, categoryId: category });
      expect(Number((await placement(id, kitchen)).parLevel)).toBe(2.5);
      expect((await placement(id, bar)).parLevel).toBeNull();
      const kitchenRows = (await api.catalog.products.byDepartment({ departmentId: kitchen })).products;
      expect(kitchenRows.find((r) => r.productId === id)).toMatchObject({ isLocal: true, name: "Microgreens" });

      await api.catalog.products.archiveLocal({ productId: id });
      expect((await api.catalog.products.byDepartment({ departmentId: kitchen })).products.map((r) => r.productId)).not.toContain(id);
    });

    it("validates the new product and writes nothing when it is refused", async () => {
      const api = as(manager, a.id);
      const count = async () => (await withPlatform("test", (tx) => tx.select().from(products).where(eq(products.restaurantId, a.id)))).length;
      const before = await count();
      await expect(api.catalog.products.createLocal({ name: "", unit: "kg", departments: [{ departmentId: kitchen }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.catalog.products.createLocal({ name: "X", unit: "kg", departments: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.catalog.products.createLocal({ name: "X", unit: "kg", departments: [{ departmentId: kitchen, parLevel: "-2" }] })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
      await expect(
        api.catalog.products.createLocal({
          name: "X",
          unit: "kg",
          departments: [
            { departmentId: kitchen, parLevel: "1" },
            { departmentId: kitchen, parLevel: "2" },
          ],
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.catalog.products.createLocal({ name: "X", unit: "kg", departments: [{ departmentId: bDepartment }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(staff, a.id).catalog.products.createLocal({ name: "X", unit: "kg", departments: [{ departmentId: kitchen }] })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await count()).toBe(before);
    });

    it("refuses to archive a Poster product (it follows Poster)", async () => {
      await expect(as(manager, a.id).catalog.products.archiveLocal({ productId: potatoes })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      const [row] = await withPlatform("test", (tx) => tx.select().from(products).where(eq(products.id, potatoes)));
      expect(row!.isArchived).toBe(false);
    });
  });
});
