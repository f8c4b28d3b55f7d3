import { sql } from "drizzle-orm";
import { hashPassword } from "@/server/auth/password";
import type { Database, Tx } from "./client";
import { DEMO_PASSWORD, DEMO_RESTAURANTS, DEMO_USERS } from "./demo";
import { platformTransaction } from "./scope";
import { departments, membershipDepartments, memberships, products, productDepartments, restaurants, suppliers, users } from "./schema";

export { DEMO_PASSWORD, DEMO_RESTAURANTS, DEMO_USERS };

export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  return platformTransaction(db, "seed", async (tx) => {
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(restaurants);
    if (count > 0) return false;
    await seedDemo(tx);
    return true;
  });
}

async function seedDemo(tx: Tx): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const insertedUsers = await tx
    .insert(users)
    .values([
      { email: DEMO_USERS.owner, name: "Olga Owner", passwordHash },
      { email: DEMO_USERS.manager, name: "Maxim Manager", passwordHash },
      { email: DEMO_USERS.staff, name: "Sasha Staff", passwordHash },
      { email: DEMO_USERS.admin, name: "Platform Admin", passwordHash, isPlatformAdmin: true },
    ])
    .returning();
  const byEmail = new Map(insertedUsers.map((u) => [u.email, u.id]));
  const userId = (email: string) => byEmail.get(email)!;

  for (const [index, r] of DEMO_RESTAURANTS.entries()) {
    const [restaurant] = await tx.insert(restaurants).values(r).returning();
    const restaurantId = restaurant!.id;
    const depts = await tx
      .insert(departments)
      .values([
        { restaurantId, posterStorageId: 1, name: index === 0 ? "Кухня" : "Kitchen", sortOrder: 1 },
        { restaurantId, posterStorageId: 2, name: index === 0 ? "Бар" : "Bar", sortOrder: 2 },
      ])
      .returning();
    const [veg, dairy] = await tx
      .insert(suppliers)
      .values([
        { restaurantId, posterSupplierId: 1, name: index === 0 ? "ООО «Овощи»" : "Green Farm", posterPhone: "+7 900 000 00 01" },
        { restaurantId, posterSupplierId: 2, name: index === 0 ? "Молочный двор" : "Dairy Co", posterPhone: "+7 900 000 00 02" },
      ])
      .returning();
    const items = [
      { id: 1, name: index === 0 ? "Картофель" : "Potatoes", unit: "kg", supplierId: veg!.id },
      { id: 2, name: index === 0 ? "Лук репчатый" : "Onions", unit: "kg", supplierId: veg!.id },
      { id: 3, name: index === 0 ? "Молоко 3,2%" : "Milk", unit: "l", supplierId: dairy!.id },
      { id: 4, name: index === 0 ? "Сливки 33%" : "Cream", unit: "l", supplierId: dairy!.id },
      { id: 5, name: index === 0 ? "Яйца" : "Eggs", unit: "p", supplierId: dairy!.id },
    ];
    const prods = await tx
      .insert(products)
      .values(items.map((p) => ({ restaurantId, posterIngredientId: p.id, name: p.name, unit: p.unit, supplierId: p.supplierId })))
      .returning();
    await tx.insert(productDepartments).values(
      prods.map((p, i) => ({
        restaurantId,
        productId: p.id,
        departmentId: depts[i < 3 ? 0 : 1]!.id,
        parLevel: String(10 + i * 5),
        stock: i === 4 ? null : String(2.5 * i),
        stockSyncedAt: i === 4 ? null : new Date(),
      })),
    );

    await tx.insert(memberships).values({ restaurantId, userId: userId(DEMO_USERS.owner), role: "owner", canSend: true, canReceive: true });
    if (index === 0) {
      await tx.insert(memberships).values({ restaurantId, userId: userId(DEMO_USERS.manager), role: "manager", canSend: true, canReceive: true });
      const [staff] = await tx
        .insert(memberships)
        .values({ restaurantId, userId: userId(DEMO_USERS.staff), role: "staff", canSend: false, canReceive: true })
        .returning();
      await tx.insert(membershipDepartments).values({ restaurantId, membershipId: staff!.id, departmentId: depts[0]!.id });
    }
  }
}
