/**
 * One app instance of the pooler scenario (tests/scale/pooler.test.ts), run as its own process: its own
 * postgres.js pool (DATABASE_POOL_MAX) to DATABASE_URL (PgBouncer, DATABASE_PREPARE=false), the app's own
 * withTenant / withPlatform. Input: SCALE_INSTANCE (JSON). Every call asserts what the database says about it:
 * the tenant and the role inside the transaction, the rows RLS lets it see, and, outside any transaction, that
 * the pooled server connection it lands on carries no tenant and no role. Prints one JSON line with the counts.
 */
import { sql } from "drizzle-orm";
import { closeDatabase, getDatabase } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";

interface Input {
  instance: number;
  calls: number;
  concurrency: number;
  restaurants: { id: string; products: number }[];
}

const input = JSON.parse(process.env.SCALE_INSTANCE ?? "{}") as Input;
const out = { instance: input.instance, calls: 0, tenantCalls: 0, platformCalls: 0, bareCalls: 0, rolledBack: 0, mismatches: [] as string[], errors: [] as string[], latenciesMs: [] as number[] };

class Rollback extends Error {}

async function tenantCall(n: number) {
  const r = input.restaurants[(n * 7 + input.instance * 13) % input.restaurants.length]!;
  const rollback = n % 9 === 4;
  try {
    await withTenant(r.id, async (tx) => {
      const [row] = rowsOf<{ tenant: string; role: string; n: number; others: number }>(
        await tx.execute(sql`select current_setting('app.tenant_id', true) as tenant, current_user as role,
          (select count(*)::int from products) as n,
          (select count(*)::int from products where restaurant_id <> ${r.id}) as others`),
      );
      if (row?.tenant !== r.id) out.mismatches.push(`tenant ${row?.tenant} for ${r.id}`);
      if (row?.role !== "app_user") out.mismatches.push(`role ${row?.role} in a tenant call`);
      if (row?.n !== r.products) out.mismatches.push(`${row?.n} products visible to ${r.id}, expected ${r.products}`);
      if (row?.others !== 0) out.mismatches.push(`${row?.others} rows of other restaurants visible to ${r.id}`);
      // Some transactions fail after setting the tenant: the rollback must not leave it on the server connection.
      if (rollback) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    out.rolledBack++;
  }
  out.tenantCalls++;
}

async function platformCall() {
  await withPlatform("test", async (tx) => {
    const [row] = rowsOf<{ tenant: string; role: string }>(await tx.execute(sql`select current_setting('app.tenant_id', true) as tenant, current_user as role`));
    if (row?.tenant !== "") out.mismatches.push(`tenant '${row?.tenant}' in a platform call`);
    if (row?.role !== "app_admin") out.mismatches.push(`role ${row?.role} in a platform call`);
  });
  out.platformCalls++;
}

/** A statement outside any transaction: whichever server connection serves it must be clean. */
async function bareCall(owner: string) {
  const { db } = await getDatabase();
  const [row] = rowsOf<{ tenant: string | null; role: string }>(await db.execute(sql`select current_setting('app.tenant_id', true) as tenant, current_user as role`));
  if (row?.tenant) out.mismatches.push(`tenant '${row.tenant}' left on a pooled connection`);
  if (row?.role !== owner) out.mismatches.push(`role ${row?.role} left on a pooled connection`);
  out.bareCalls++;
}

const owner = decodeURIComponent(new URL(process.env.DATABASE_URL!).username);
let next = 0;
async function worker() {
  while (next < input.calls) {
    const n = next++;
    const t0 = performance.now();
    try {
      if (n % 5 === 2) await platformCall();
      else if (n % 5 === 3) await bareCall(owner);
      else await tenantCall(n);
      out.latenciesMs.push(performance.now() - t0);
    } catch (err) {
      const e = err as Error & { cause?: Error & { code?: string } };
      out.errors.push(`${e.cause?.code ?? ""} ${e.cause?.message ?? e.message}`.trim().slice(0, 200));
    }
    out.calls++;
  }
}
await Promise.all(Array.from({ length: input.concurrency }, worker));
await closeDatabase();
process.stdout.write(`${JSON.stringify(out)}\n`);
