/**
 * Scenario 8: ten restaurants whose Poster ids overlap (every one has ingredients, storages and suppliers
 * numbered from 1), the isolation checks over every ordered pair (A, B): as A, B's Poster ids find only A's rows,
 * B's row ids find nothing in any tenant table, updates and deletes of B's rows by id change nothing, and a row
 * inserted with B's restaurant id is refused. Then each restaurant syncs from its own simulator account (over
 * HTTP, the same ids as the others) and the other nine are byte-for-byte unchanged (checksums).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import type { PosterSimulatorServer } from "@/simulator";
import { runFullSync } from "@/server/sync";
import { closeDatabase } from "@/tests/support/database";
import { tenantTables } from "@/tests/support/tenant-fixture";
import { openScale, recordScale, round, scaleDatabaseUrl, startScaleSimulator, tenantChecksum } from "./fixture";
import type { ScaleRestaurant } from "./seed";

const TENANTS = 10;

interface Ids {
  product: string;
  department: string;
  supplier: string;
  order: string;
}

describe.skipIf(!scaleDatabaseUrl())("scale: ten restaurants with overlapping Poster ids, every pair", () => {
  let ten: ScaleRestaurant[];
  let tables: string[];
  let sim: PosterSimulatorServer;
  const ids = new Map<string, Ids>();

  beforeAll(async () => {
    const all = await openScale();
    ten = all.slice(0, TENANTS);
    tables = await tenantTables();
    sim = await startScaleSimulator();
    for (const r of ten) {
      const [row] = await withPlatform("test", async (tx) =>
        rowsOf<Ids>(
          await tx.execute(sql`select (select id from products where restaurant_id = ${r.id} limit 1) as product,
            (select id from departments where restaurant_id = ${r.id} limit 1) as department,
            (select id from suppliers where restaurant_id = ${r.id} limit 1) as supplier,
            (select id from purchase_orders where restaurant_id = ${r.id} limit 1) as "order"`),
        ),
      );
      ids.set(r.id, row!);
    }
  });

  afterAll(async () => {
    await sim?.close();
    await closeDatabase();
  });

  it("the Poster ids really overlap: ingredient 1, storage 1 and supplier 1 exist in all ten", async () => {
    const [row] = await withPlatform("test", async (tx) =>
      rowsOf<{ p: number; d: number; s: number }>(
        await tx.execute(sql`select (select count(distinct restaurant_id)::int from products where poster_ingredient_id = 1 and restaurant_id = any(${`{${ten.map((r) => r.id).join(",")}}`}::uuid[])) as p,
          (select count(distinct restaurant_id)::int from departments where poster_storage_id = 1 and restaurant_id = any(${`{${ten.map((r) => r.id).join(",")}}`}::uuid[])) as d,
          (select count(distinct restaurant_id)::int from suppliers where poster_supplier_id = 1 and restaurant_id = any(${`{${ten.map((r) => r.id).join(",")}}`}::uuid[])) as s`),
      ),
    );
    expect(row).toEqual({ p: TENANTS, d: TENANTS, s: TENANTS });
  });

  it("every ordered pair: as A, B's Poster ids and row ids find nothing of B; B's rows cannot be changed or added to", async () => {
    let pairs = 0;
    let checks = 0;
    const started = performance.now();
    for (const a of ten) {
      for (const b of ten) {
        if (a.id === b.id) continue;
        const bIds = ids.get(b.id)!;
        await withTenant(a.id, async (tx) => {
          // The shared Poster ids resolve to A's own rows only.
          const owners = rowsOf<{ r: string }>(
            await tx.execute(sql`select distinct restaurant_id as r from products where poster_ingredient_id in (1, 2, 3)
              union select distinct restaurant_id from departments where poster_storage_id = 1
              union select distinct restaurant_id from suppliers where poster_supplier_id = 1`),
          );
          expect(owners.map((o) => o.r)).toEqual([a.id]);
          // Nothing of B in any tenant table, even asked for by B's restaurant id.
          const counts = sql.join(tables.map((t) => sql`(select count(*) from ${sql.identifier(t)} where restaurant_id = ${b.id})`), sql` + `);
          const [seen] = rowsOf<{ n: number }>(await tx.execute(sql`select (${counts})::int as n`));
          expect(seen!.n).toBe(0);
          const [byId] = rowsOf<{ n: number }>(
            await tx.execute(sql`select ((select count(*) from products where id = ${bIds.product}) + (select count(*) from departments where id = ${bIds.department})
              + (select count(*) from suppliers where id = ${bIds.supplier}) + (select count(*) from purchase_orders where id = ${bIds.order}))::int as n`),
          );
          expect(byId!.n).toBe(0);
          const changed = rowsOf<{ id: string }>(
            await tx.execute(sql`with u as (update products set name = name || ' (A)' where id = ${bIds.product} returning id),
              d as (delete from purchase_orders where id = ${bIds.order} returning id)
              select id from u union all select id from d`),
          );
          expect(changed).toEqual([]);
        });
        const refused = await withTenant(a.id, (tx) =>
          tx.execute(sql`insert into suppliers (restaurant_id, poster_supplier_id, name) values (${b.id}, 999999, 'planted by A')`),
        ).then(
          () => null,
          (err: unknown) => (err as { cause?: { code?: string } }).cause?.code,
        );
        expect(refused).toBe("42501"); // new row violates row-level security policy
        pairs++;
        checks += 6;
      }
    }
    expect(pairs).toBe(TENANTS * (TENANTS - 1));
    recordScale("isolation_pairs", { tenants: TENANTS, pairs, checks, tenant_tables: tables.length, seconds: round((performance.now() - started) / 1000) });
  });

  it("each restaurant syncs its own account (same Poster ids as the others): the other nine are unchanged", async () => {
    const started = performance.now();
    const before = new Map<string, Record<string, string>>();
    for (const r of ten) before.set(r.id, await tenantChecksum(r.id, tables));
    for (const a of ten) {
      const result = await runFullSync({ restaurantId: a.id, trigger: "manual" });
      expect(result.status).toBe("succeeded");
      for (const b of ten) {
        if (b.id === a.id) continue;
        expect(await tenantChecksum(b.id, tables), `${b.accountNumber} after ${a.accountNumber}'s sync`).toEqual(before.get(b.id));
      }
      before.set(a.id, await tenantChecksum(a.id, tables));
      // A's rows now carry A's own Poster names for the shared ids, not another account's.
      const account = sim.simulator.account(a.login);
      const first = account.data.ingredients.find((i) => i.type === 1 && !i.hidden && !i.deleted)!;
      const [mine] = await withTenant(a.id, async (tx) => rowsOf<{ name: string }>(await tx.execute(sql`select name from products where poster_ingredient_id = ${first.id}`)));
      expect(mine?.name).toBe(first.name);
    }
    recordScale("isolation_syncs", { tenants: TENANTS, syncs: TENANTS, checksums_compared: TENANTS * (TENANTS - 1), seconds: round((performance.now() - started) / 1000) });
  });
});
