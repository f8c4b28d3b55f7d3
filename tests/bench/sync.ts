/**
 * npm run bench:sync — full sync of a 2,000-ingredient, 6-storage account from the in-process simulator (no
 * injected latency) into a fresh database: PGlite in memory by default, Postgres when BENCH_DATABASE_URL is set.
 * Reports wall time, this process's CPU time and the SQL statements issued, for a first run and a second run on
 * the unchanged account (which must write nothing to the catalogue). Then a third full sync goes through the
 * app's Poster limiter (shared through Redis when one answers at TEST_REDIS_URL / 127.0.0.1:6379, through the
 * same Upstash bridge the tests use; in memory otherwise) and shows, from the simulator's own request log, that
 * Poster never saw more than POSTER_CALLS_PER_SECOND (5) calls in any second; it exits 1 if it did.
 */
import { sql } from "drizzle-orm";
import { closeDatabase, getDatabase } from "@/db/client";
import { migratePostgres } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { restaurants } from "@/db/schema";
import { env } from "@/server/env";
import { createPosterClient, createPosterLimiter, minIntervalForRate, type PosterClient, type PosterLimiter } from "@/server/poster";
import { createPosterSimulator } from "@/simulator";
import { runFullSync, type SyncCounts } from "@/server/sync";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";

process.env.LOG_LEVEL ??= "warn";
process.env.POSTER_SIM_WEBHOOK_URL = "off";
const url = process.env.BENCH_DATABASE_URL;
if (url) {
  process.env.DATABASE_URL = url;
  await migratePostgres(url);
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory";
}

const handle = await getDatabase();

/**
 * Statements are counted at drizzle's session: its logger sees every query, including those inside transactions
 * (each transaction's session is built from the same options). BEGIN/COMMIT are issued by the driver and not
 * counted.
 */
let statements = 0;
const counter = { logQuery: () => void statements++ };
const session = (handle.db as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
session.logger = counter;
session.options.logger = counter;

const sim = createPosterSimulator({ accounts: [], webhooks: { url: null } });
const account = sim.createAccount({ login: "bench", seed: "bench", size: { storages: 6, ingredients: 2_000, suppliers: 60 } }).info();
const client: PosterClient = createPosterClient({
  baseUrl: "http://poster.bench",
  accountNumber: account.accountNumber,
  token: account.token,
  fetch: sim.fetch,
  // No limiter: the point is our own cost, not Poster's rate limit.
  limiter: { run: (_key, fn) => fn() },
});
const [restaurant] = await withPlatform("test", (tx) =>
  tx.insert(restaurants).values({ name: "Bench", posterAccountNumber: `bench-${Date.now()}`, posterAccountLogin: "bench" }).returning(),
);

interface Row {
  run: string;
  wallMs: number;
  cpuMs: number;
  statements: number;
  writes: string;
}

function writes(counts: SyncCounts): string {
  return Object.entries(counts)
    .map(([k, c]) => `${k} +${c.added}/~${c.changed}/-${c.archived}`)
    .join(", ");
}

async function measure(run: string, fn: () => Promise<string>): Promise<Row> {
  statements = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const w = await fn();
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { run, wallMs, cpuMs: (used.user + used.system) / 1000, statements, writes: w };
}

const rows: Row[] = [];
// The simulator runs in this process: its share of the CPU is shown on its own (Poster's work, not ours).
rows.push(
  await measure("fetch only (simulator + client parsing)", async () => {
    const storages = await client.getStorages();
    await Promise.all([client.getSuppliers(), client.getCategoriesIngredients(), client.getIngredients()]);
    await Promise.all(storages.map((s) => client.getStorageLeftovers({ storageId: s.id, zeroLeftovers: true })));
    return "-";
  }),
);
rows.push(await measure("first full sync", async () => writes((await runFullSync({ restaurantId: restaurant!.id, trigger: "onboarding", client })).counts)));
rows.push(await measure("second full sync (no change)", async () => writes((await runFullSync({ restaurantId: restaurant!.id, trigger: "manual", client })).counts)));

const [stock] = await withPlatform("test", async (tx) =>
  rowsOf<{ products: number; memberships: number }>(
    await tx.execute(sql`select (select count(*)::int from products where restaurant_id = ${restaurant!.id}) as products,
      (select count(*)::int from product_departments where restaurant_id = ${restaurant!.id}) as memberships`),
  ),
);

// The same sync again, now as the app runs it: through the per-account limiter, spacing included.
const callsPerSecond = env().POSTER_CALLS_PER_SECOND;
let bridge: UpstashBridge | null = null;
let limiter: PosterLimiter;
try {
  bridge = await startUpstashBridge({ redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" });
  await bridge.redis.ping();
  const { Redis } = await import("@upstash/redis");
  limiter = createPosterLimiter({ redis: new Redis({ url: bridge.url, token: bridge.token }), prefix: `bench:poster:${process.pid}:${Date.now()}`, minIntervalMs: minIntervalForRate(callsPerSecond) });
} catch {
  await bridge?.close().catch(() => undefined);
  bridge = null;
  limiter = createPosterLimiter({ redis: null, minIntervalMs: minIntervalForRate(callsPerSecond) });
}
const limited = createPosterClient({ baseUrl: "http://poster.bench", accountNumber: account.accountNumber, token: account.token, fetch: sim.fetch, limiter });
sim.clearRequestLog("bench");
rows.push(await measure(`full sync through the limiter (${bridge ? "Redis" : "memory"}, ${callsPerSecond}/s)`, async () => writes((await runFullSync({ restaurantId: restaurant!.id, trigger: "schedule", client: limited })).counts)));
const calls = sim.requestLog("bench").map((r) => r.at).sort((a, b) => a - b);
let busiestSecond = 0;
for (let i = 0, j = 0; i < calls.length; i++) {
  while (j < calls.length && calls[j]! < calls[i]! + 1000) j++;
  busiestSecond = Math.max(busiestSecond, j - i);
}
const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
await bridge?.redis.keys("bench:poster:*").then((keys) => (keys.length ? bridge!.redis.del(...keys) : 0));
await bridge?.close();

console.log(`\nbench:sync on ${handle.kind}${url ? ` (${new URL(url).host}${new URL(url).pathname})` : " (in memory)"}: ${account.counts.ingredients} ingredients × ${account.counts.storages} storages, ${account.counts.suppliers} suppliers → ${stock?.products} products, ${stock?.memberships} product-department rows\n`);
console.table(rows.map((r) => ({ run: r.run, "wall ms": Math.round(r.wallMs), "CPU ms": Math.round(r.cpuMs), "SQL statements": r.statements, "writes (added/changed/archived)": r.writes })));

console.log(
  `\nPoster calls of the limited full sync: ${calls.length} in ${calls.length > 1 ? calls.at(-1)! - calls[0]! : 0} ms; ` +
    `busiest second ${busiestSecond} (limit ${callsPerSecond}); smallest gap between two calls ${gaps.length ? Math.min(...gaps) : "-"} ms ` +
    `(spacing ${minIntervalForRate(callsPerSecond)} ms) → ${busiestSecond <= callsPerSecond ? "within the limit" : "OVER THE LIMIT"}`,
);

sim.close();
await closeDatabase();
if (busiestSecond > callsPerSecond) process.exitCode = 1;
