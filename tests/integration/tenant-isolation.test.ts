import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { afterCommit, withPlatform, withTenant } from "@/db/scope";
import { departments, products, restaurants, users } from "@/db/schema";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

describe(`tenant isolation (${testDatabaseKind()})`, () => {
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    await openTestDatabase();
    a = await createRestaurant();
    b = await createRestaurant();
    // Both restaurants hold the same Poster ids.
    for (const r of [a, b]) {
      await withTenant(r.id, async (tx) => {
        await tx.insert(departments).values([
          { restaurantId: r.id, posterStorageId: 1, name: `Kitchen ${r.id.slice(0, 4)}` },
          { restaurantId: r.id, posterStorageId: 2, name: `Bar ${r.id.slice(0, 4)}` },
        ]);
        await tx.insert(products).values({ restaurantId: r.id, posterIngredientId: 73, name: "Avocado", unit: "kg" });
      });
    }
  });
  afterAll(closeDatabase);

  it("lets two restaurants hold the same Poster ids, but not one restaurant twice", async () => {
    const both = await withPlatform("test", (tx) =>
      tx.select().from(departments).where(sql`${departments.restaurantId} in (${a.id}, ${b.id}) and ${departments.posterStorageId} = 1`),
    );
    expect(both).toHaveLength(2);
    await expect(
      withTenant(a.id, (tx) => tx.insert(departments).values({ restaurantId: a.id, posterStorageId: 1, name: "Dup" })),
    ).rejects.toThrow();
  });

  it("returns only the tenant's rows from a query with no where", async () => {
    const seenByA = await withTenant(a.id, (tx) => tx.select().from(departments));
    expect(seenByA.length).toBe(2);
    expect(seenByA.every((d) => d.restaurantId === a.id)).toBe(true);
    const restaurantsSeen = await withTenant(a.id, (tx) => tx.select().from(restaurants));
    expect(restaurantsSeen.map((r) => r.id)).toEqual([a.id]);
  });

  it("rejects inserting a row into another tenant", async () => {
    await expect(
      withTenant(a.id, (tx) => tx.insert(departments).values({ restaurantId: b.id, name: "Smuggled" })),
    ).rejects.toThrow();
    const smuggled = await withPlatform("test", (tx) => tx.select().from(departments).where(eq(departments.name, "Smuggled")));
    expect(smuggled).toHaveLength(0);
  });

  it("rejects moving a row into another tenant", async () => {
    await expect(
      withTenant(a.id, (tx) => tx.update(products).set({ restaurantId: b.id }).where(eq(products.restaurantId, a.id))),
    ).rejects.toThrow();
    const stillA = await withPlatform("test", (tx) => tx.select().from(products).where(eq(products.restaurantId, a.id)));
    expect(stillA).toHaveLength(1);
  });

  it("changes nothing when updating or deleting another tenant's rows by id", async () => {
    const [bProduct] = await withTenant(b.id, (tx) => tx.select().from(products));
    const updated = await withTenant(a.id, (tx) =>
      tx.update(products).set({ name: "Hijacked" }).where(eq(products.id, bProduct!.id)).returning(),
    );
    const deleted = await withTenant(a.id, (tx) => tx.delete(products).where(eq(products.id, bProduct!.id)).returning());
    expect(updated).toHaveLength(0);
    expect(deleted).toHaveLength(0);
    const [after] = await withTenant(b.id, (tx) => tx.select().from(products).where(eq(products.id, bProduct!.id)));
    expect(after?.name).toBe("Avocado");
  });

  it("runs as the non-bypass role inside the transaction", async () => {
    const [row] = await withTenant(a.id, async (tx) =>
      rowsOf<{ current_user: string; tenant: string; bypass: boolean; superuser: boolean }>(
        await tx.execute(sql`select current_user, current_setting('app.tenant_id', true) as tenant,
          r.rolbypassrls as bypass, r.rolsuper as superuser from pg_roles r where r.rolname = current_user`),
      ),
    );
    expect(row).toEqual({ current_user: "app_user", tenant: a.id, bypass: false, superuser: false });
  });

  it("does not leak the tenant or role to the next transaction on the same connection", async () => {
    await withTenant(a.id, (tx) => tx.select().from(departments));
    const [row] = await withPlatform("test", async (tx) =>
      rowsOf<{ tenant: string | null; current_user: string }>(
        await tx.execute(sql`select current_setting('app.tenant_id', true) as tenant, current_user`),
      ),
    );
    expect(row?.tenant ?? "").toBe("");
    expect(row?.current_user).toBe("app_admin");
  });

  it("cannot read password hashes as app_user", async () => {
    await expect(withTenant(a.id, (tx) => tx.select({ h: users.passwordHash }).from(users))).rejects.toThrow();
    const visible = await withTenant(a.id, (tx) => tx.select({ id: users.id, email: users.email }).from(users).limit(1));
    expect(Array.isArray(visible)).toBe(true);
  });

  it("shows a tenant only the users who belong to it", async () => {
    const outsider = await createUser();
    await addMembership({ restaurantId: b.id, userId: outsider.id, role: "staff" });
    const insider = await createUser();
    await addMembership({ restaurantId: a.id, userId: insider.id, role: "staff" });
    const seenByA = await withTenant(a.id, (tx) => tx.select({ id: users.id }).from(users));
    expect(seenByA.map((u) => u.id)).toContain(insider.id);
    expect(seenByA.map((u) => u.id)).not.toContain(outsider.id);
  });

  it("rolls back every write when the function throws", async () => {
    await expect(
      withTenant(a.id, async (tx) => {
        await tx.insert(departments).values({ restaurantId: a.id, name: "Rolled back" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const rows = await withPlatform("test", (tx) => tx.select().from(departments).where(eq(departments.name, "Rolled back")));
    expect(rows).toHaveLength(0);
  });

  it("keeps 50 concurrent tenant transactions apart on a pool of 5", async () => {
    const tenants = [a, b];
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const t = tenants[i % 2]!;
        return withTenant(t.id, async (tx) => {
          // Hold the connection a moment so transactions interleave on the pool.
          await tx.execute(sql`select pg_sleep(0.01)`);
          const rows = await tx.select({ restaurantId: departments.restaurantId }).from(departments);
          const [setting] = rowsOf<{ tenant: string }>(await tx.execute(sql`select current_setting('app.tenant_id') as tenant`));
          return { expected: t.id, rows, tenant: setting?.tenant };
        });
      }),
    );
    for (const r of results) {
      expect(r.tenant).toBe(r.expected);
      expect(r.rows.length).toBe(2);
      expect(r.rows.every((row) => row.restaurantId === r.expected)).toBe(true);
    }
  });

  it("rejects a malformed tenant id before touching the database", async () => {
    await expect(withTenant("x'; drop table restaurants; --", async () => 1)).rejects.toThrow();
  });
});

describe(`afterCommit (${testDatabaseKind()})`, () => {
  beforeAll(openTestDatabase);

  it("runs a task after the commit, where it may open its own transaction, and never after a rollback", async () => {
    const r = await createRestaurant();
    const seen: number[] = [];
    const result = await withTenant(r.id, async (tx) => {
      await tx.insert(departments).values({ restaurantId: r.id, name: "Committed first" });
      afterCommit(tx, async () => {
        // Opening another scoped transaction here would wait forever on the single-connection embedded database
        // if it ran before the commit.
        const rows = await withPlatform("test", (t) => t.select().from(departments).where(eq(departments.restaurantId, r.id)));
        seen.push(rows.length);
      });
      return "done";
    });
    expect(result).toBe("done");
    expect(seen).toEqual([1]);

    await expect(
      withTenant(r.id, async (tx) => {
        afterCommit(tx, async () => {
          seen.push(-1);
        });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(seen).toEqual([1]);
  });
});
