import { and, asc, eq, sql } from "drizzle-orm";
import { hashPassword } from "@/server/auth/password";
import { posterTokenStore } from "@/server/connections/token-store";
import { log } from "@/server/observability/log";
import { DEMO_ACCOUNTS } from "@/simulator";
import { runFullSync } from "@/server/sync";
import type { Tx } from "@/db/client";
import { withPlatform } from "@/db/scope";
import { categories, departments, featureFlags, membershipDepartments, memberships, productDepartments, products, restaurants, suppliers, users } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_RESTAURANTS, DEMO_USERS } from "./logins";

interface Seeded {
  restaurantIds: string[];
  staffMembershipId: string;
}

/**
 * Seeds the demo users and the two demo restaurants, connected to the simulator's demo accounts and filled by a
 * real onboarding sync (the same path a connected restaurant takes). Called by startup on the embedded database
 * (development, the demo switch) and by `npm run db:seed`; never by opening a database.
 */
export async function seedDemoIfEmpty(): Promise<boolean> {
  const seeded = await withPlatform("seed", async (tx) => {
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(restaurants);
    if (count > 0) return null;
    return seedAccounts(tx);
  });
  if (!seeded) return false;
  for (const restaurantId of seeded.restaurantIds) {
    try {
      await runFullSync({ restaurantId, trigger: "onboarding" });
    } catch (error) {
      // The restaurants and logins still work; "Sync now" in the settings retries.
      log.error("demo seed: the onboarding sync failed", { restaurantId, error });
    }
  }
  await withPlatform("seed", (tx) => finishDemo(tx, seeded));
  return true;
}

async function seedAccounts(tx: Tx): Promise<Seeded> {
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

  const restaurantIds: string[] = [];
  let staffMembershipId = "";
  for (const [index, r] of DEMO_RESTAURANTS.entries()) {
    const account = DEMO_ACCOUNTS.find((a) => a.accountNumber === r.posterAccountNumber);
    if (!account) throw new Error(`No simulator demo account ${r.posterAccountNumber}`);
    const [restaurant] = await tx.insert(restaurants).values(r).returning();
    const restaurantId = restaurant!.id;
    restaurantIds.push(restaurantId);
    const owner = userId(DEMO_USERS.owner);
    await posterTokenStore.save(tx, restaurantId, { accountNumber: account.accountNumber, accountLogin: account.login, token: account.token }, { connectedBy: owner });
    await tx.insert(memberships).values({ restaurantId, userId: owner, role: "owner", canSend: true, canReceive: true });
    if (index === 0) {
      await tx.insert(memberships).values({ restaurantId, userId: userId(DEMO_USERS.manager), role: "manager", canSend: true, canReceive: true });
      const [staff] = await tx
        .insert(memberships)
        .values({ restaurantId, userId: userId(DEMO_USERS.staff), role: "staff", canSend: false, canReceive: true })
        .returning();
      staffMembershipId = staff!.id;
    }
  }
  return { restaurantIds, staffMembershipId };
}

/**
 * After the syncs: staff in the first department only, par levels so suggestions show, category suppliers, and
 * the demo restaurants among the first restaurants the owner's export is rolled out to (the export.owner flag).
 */
async function finishDemo(tx: Tx, seeded: Seeded): Promise<void> {
  await tx.insert(featureFlags).values({ key: "export.owner", mode: "restaurants", restaurantIds: seeded.restaurantIds }).onConflictDoNothing();
  for (const [index, restaurantId] of seeded.restaurantIds.entries()) {
    const [first] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.restaurantId, restaurantId))
      .orderBy(asc(departments.sortOrder), asc(departments.name))
      .limit(1);
    if (index === 0 && first) {
      await tx.insert(membershipDepartments).values({ restaurantId, membershipId: seeded.staffMembershipId, departmentId: first.id });
    }
    // Every third product runs low (par above stock: a suggestion to order); every third is well stocked.
    await tx
      .update(productDepartments)
      .set({
        parLevel: sql`case when ${products.posterIngredientId} % 3 = 0
          then round(greatest(coalesce(${productDepartments.stock}, 0), 0) * 1.5 + 3)
          else floor(greatest(coalesce(${productDepartments.stock}, 0), 0) * 0.5) end`,
      })
      .from(products)
      .where(and(eq(products.id, productDepartments.productId), eq(productDepartments.restaurantId, restaurantId), sql`${products.posterIngredientId} % 3 <> 2`));
    // Each category orders from one supplier by default, so requests can become purchase orders at once.
    const sups = await tx.select({ id: suppliers.id }).from(suppliers).where(and(eq(suppliers.restaurantId, restaurantId), eq(suppliers.isArchived, false))).orderBy(asc(suppliers.posterSupplierId));
    const cats = await tx.select({ id: categories.id }).from(categories).where(eq(categories.restaurantId, restaurantId)).orderBy(asc(categories.posterCategoryId));
    if (sups.length === 0) continue;
    for (const [i, c] of cats.entries()) {
      await tx.update(categories).set({ defaultSupplierId: sups[i % sups.length]!.id }).where(eq(categories.id, c.id));
    }
  }
}
