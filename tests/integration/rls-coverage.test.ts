import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { closeDatabase, openTestDatabase, testDatabaseKind } from "../support/database";

describe(`row-level security coverage after migration (${testDatabaseKind()})`, () => {
  beforeAll(openTestDatabase);
  afterAll(closeDatabase);

  it("forces RLS with a tenant policy and a restaurant_id-led index on every table with restaurant_id", async () => {
    const tables = await withPlatform("test", async (tx) =>
      rowsOf<{ table: string; enabled: boolean; forced: boolean; policies: number; leading_index: boolean }>(
        await tx.execute(sql`
          select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
            (select count(*)::int from pg_policy p where p.polrelid = c.oid and pg_get_expr(p.polqual, p.polrelid) like '%app.tenant_id%') as policies,
            exists (
              select 1 from pg_index i join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
              where i.indrelid = c.oid and a.attname = 'restaurant_id'
            ) as leading_index
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r'
            and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'restaurant_id' and not a.attisdropped)
          order by 1`),
      ),
    );
    expect(tables.length).toBeGreaterThanOrEqual(20);
    const broken = tables.filter((t) => !t.enabled || !t.forced || t.policies < 1 || !t.leading_index);
    expect(broken).toEqual([]);
  });

  it("gives the runtime roles no way around the policies", async () => {
    const roles = await withPlatform("test", async (tx) =>
      rowsOf<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean; rolcanlogin: boolean }>(
        await tx.execute(sql`select rolname, rolbypassrls, rolsuper, rolcanlogin from pg_roles where rolname in ('app_user', 'app_admin') order by 1`),
      ),
    );
    expect(roles).toEqual([
      { rolname: "app_admin", rolbypassrls: false, rolsuper: false, rolcanlogin: false },
      { rolname: "app_user", rolbypassrls: false, rolsuper: false, rolcanlogin: false },
    ]);
  });

  it("shows the table owner nothing when it forgets to take a role", async () => {
    const { db } = await openTestDatabase();
    const [who] = rowsOf<{ superuser: boolean }>(await db.execute(sql`select rolsuper as superuser from pg_roles where rolname = current_user`));
    // A superuser bypasses RLS by definition; the embedded owner (and a hosted one) does not.
    if (who?.superuser) return;
    const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from restaurants`));
    expect(row?.n).toBe(0);
  });
});
