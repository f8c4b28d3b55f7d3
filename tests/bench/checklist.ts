/**
 * `npm run bench:checklist`: latency of the checklist over HTTP against the production build.
 *
 * 1. Database: BENCH_DATABASE_URL, else a fresh `rc_bench` on 127.0.0.1 (dropped and recreated through
 *    BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres, owned by rc_owner), migrated and
 *    filled by tests/bench/generate.ts (120 restaurants × 1,500 products unless BENCH_RESTAURANTS is set).
 *    A given BENCH_DATABASE_URL that already holds bench data is reused as is.
 * 2. Server: `next start` on a free port (BENCH_PORT to pick one) with that database; `next build` first if
 *    .next is missing.
 * 3. Sessions: minted with next-auth's `encode` and the same AUTH_SECRET (salt = cookie name), one per
 *    restaurant's manager, so requests spread over all tenants.
 * 4. Scenarios: (a) GET checklist.department of a 500-product department, (b) POST checklist.saveLine, each at
 *    1 and 20 concurrent clients, BENCH_REQUESTS (200) requests after a short warm-up. Prints p50/p95/p99.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { closeDatabase, getDatabase } from "@/db/client";
import { migratePostgres } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { startSession } from "@/server/accounts/sessions";
import { resetEnvForTests } from "@/server/env";
import { benchDataSize, DEFAULT_SHAPE, generateBenchData, loadBenchRestaurants, type BenchRestaurant } from "./generate";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;
const CONCURRENCY = [1, 20];
const AUTH_SECRET = process.env.AUTH_SECRET ?? "bench-secret-not-for-production-0123456789";
const COOKIE = "authjs.session-token";

function log(message: string) {
  console.log(`[bench] ${message}`);
}

async function freePort(): Promise<number> {
  if (process.env.BENCH_PORT) return Number(process.env.BENCH_PORT);
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function prepareDatabase(): Promise<string> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return given;
  const admin = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const { default: postgres } = await import("postgres");
  const root = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    await root.unsafe("drop database if exists rc_bench with (force)");
    await root.unsafe("create database rc_bench owner rc_owner");
  } finally {
    await root.end({ timeout: 5 });
  }
  return "postgres://rc_owner@127.0.0.1:5432/rc_bench";
}

async function ensureData(url: string): Promise<BenchRestaurant[]> {
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_MAX = "8";
  resetEnvForTests();
  await migratePostgres(url);
  await getDatabase();
  let restaurants = await loadBenchRestaurants();
  if (restaurants.length === 0) {
    const shape = { ...DEFAULT_SHAPE, restaurants: Number(process.env.BENCH_RESTAURANTS ?? DEFAULT_SHAPE.restaurants) };
    const started = performance.now();
    log(`generating ${shape.restaurants} restaurants × ${shape.products} products…`);
    restaurants = await generateBenchData(shape);
    // As the tables' owner: app_admin (withPlatform) may not analyze them, and the planner needs the statistics.
    await (await getDatabase()).db.execute(sql`analyze`);
    log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return restaurants;
}

async function bigDepartmentSize(r: BenchRestaurant): Promise<number> {
  return withPlatform("seed", async (tx) => {
    const result = await tx.execute(sql`select count(*)::int as n from product_departments pd join products p on p.id = pd.product_id
      where pd.department_id = ${r.bigDepartmentId} and not pd.is_hidden and not p.is_archived`);
    return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
  });
}

async function productsOf(r: BenchRestaurant): Promise<string[]> {
  return withPlatform("seed", async (tx) => {
    const result = await tx.execute(sql`select pd.product_id from product_departments pd join products p on p.id = pd.product_id
      where pd.department_id = ${r.bigDepartmentId} and not pd.is_hidden and not p.is_archived limit 50`);
    return rowsOf<{ product_id: string }>(result).map((x) => x.product_id);
  });
}

function startServer(port: number, databaseUrl: string): ChildProcess {
  const child = spawn("npx", ["next", "start", "-p", String(port)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX_SERVER ?? "10",
      AUTH_SECRET,
      APP_URL: `http://localhost:${port}`,
      TOKEN_ENCRYPTION_KEYS: process.env.TOKEN_ENCRYPTION_KEYS ?? `bench:${Buffer.alloc(32, 7).toString("base64")}`,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      // The generated restaurants are connected to nothing real: the demo switch, with its own application.
      POSTER_SIMULATOR: "embedded",
      POSTER_APPLICATION_ID: "bench-app",
      POSTER_APPLICATION_SECRET: "bench-app-secret-not-for-production",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[next] ${d.toString()}`));
  return child;
}

async function waitForServer(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/sign-in`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("next start did not answer within 120 s");
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface Result {
  scenario: string;
  concurrency: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

async function runScenario(name: string, concurrency: number, request: (i: number) => Promise<Response>): Promise<Result> {
  for (let i = 0; i < WARMUP; i++) await (await request(i)).arrayBuffer();
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const client = async () => {
    while (issued < REQUESTS) {
      const i = issued++;
      const t0 = performance.now();
      const res = await request(i);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (!res.ok) {
        errors++;
        if (errors <= 3) log(`${name}: HTTP ${res.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    concurrency,
    requests: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / elapsed,
  };
}

async function main() {
  const databaseUrl = await prepareDatabase();
  const restaurants = await ensureData(databaseUrl);
  const size = await benchDataSize();
  const deptSize = await bigDepartmentSize(restaurants[0]!);
  const products = new Map<string, string[]>();
  for (const r of restaurants) products.set(r.id, await productsOf(r));
  // One recorded session per manager: the server checks the token's session id (user_sessions) on every call.
  const sessionIds = new Map<string, string>();
  for (const r of restaurants) sessionIds.set(r.id, await withPlatform("seed", (tx) => startSession(tx, { userId: r.managerId, userAgent: "bench", ip: null })));
  await closeDatabase();

  // Another build of the same tree may be running: wait for it rather than build over it.
  while (!existsSync(".next/BUILD_ID") && spawnSync("pgrep", ["-f", "next build"]).status === 0) {
    log("waiting for a running next build…");
    await new Promise((r) => setTimeout(r, 10_000));
  }
  if (!existsSync(".next/BUILD_ID")) {
    log("no production build: running next build…");
    const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (built.status !== 0) throw new Error("next build failed");
  }

  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = startServer(port, databaseUrl);
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  };
  process.once("exit", stop);
  try {
    await waitForServer(base, server);
    log(`server up on ${base}`);

    const cookies = await Promise.all(
      restaurants.map(async (r) => {
        const token = await encode({
          token: { sub: r.managerId, uid: r.managerId, sv: 1, sid: sessionIds.get(r.id), email: "bench@bench.test", name: "Bench Manager" },
          secret: AUTH_SECRET,
          salt: COOKIE,
          maxAge: 3600,
        });
        return `${COOKIE}=${token}; rc_restaurant=${r.id}`;
      }),
    );
    const pick = (i: number) => i % restaurants.length;

    const load = (i: number) => {
      const r = restaurants[pick(i)]!;
      const input = encodeURIComponent(JSON.stringify({ json: { departmentId: r.bigDepartmentId } }));
      return fetch(`${base}/api/trpc/checklist.department?input=${input}`, { headers: { cookie: cookies[pick(i)]! } });
    };
    const save = (i: number) => {
      const r = restaurants[pick(i)]!;
      const list = products.get(r.id)!;
      const body = { json: { departmentId: r.bigDepartmentId, productId: list[i % list.length]!, quantity: `${1 + (i % 7)}.5`, clientMutationId: `bench-${i}` } };
      return fetch(`${base}/api/trpc/checklist.saveLine`, {
        method: "POST",
        headers: { cookie: cookies[pick(i)]!, "content-type": "application/json", origin: base },
        body: JSON.stringify(body),
      });
    };

    // Sanity: the department really has ~500 products and the save answers 200.
    const probe = (await (await load(0)).json()) as { result?: { data?: { json?: { products?: unknown[] } } } };
    const probeCount = probe.result?.data?.json?.products?.length ?? 0;
    if (probeCount < 400) throw new Error(`checklist.department answered ${probeCount} products: ${JSON.stringify(probe).slice(0, 300)}`);
    const probeSave = await save(0);
    if (!probeSave.ok) throw new Error(`checklist.saveLine answered ${probeSave.status}: ${(await probeSave.text()).slice(0, 300)}`);

    // The machine may be shared: the load around the run says how much of the latency is ours.
    const loadBefore = loadavg()[0]!;
    const results: Result[] = [];
    for (const c of CONCURRENCY) results.push(await runScenario("load 500-product checklist (GET checklist.department)", c, load));
    for (const c of CONCURRENCY) results.push(await runScenario("save draft line (POST checklist.saveLine)", c, save));

    console.log("");
    console.log(
      `Data: ${size.restaurants} restaurants, ${size.departments} departments, ${size.products} products, ${size.product_departments} product×department rows, ` +
        `${size.purchase_orders} purchase orders / ${size.purchase_order_lines} lines, ${size.purchase_requests} requests / ${size.purchase_request_lines} lines; ` +
        `benchmarked department: ${deptSize} products (${probeCount} returned). Production build, HTTP on localhost, sessions spread over all restaurants. ` +
        `Machine: ${cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after the run.`,
    );
    console.log("");
    console.log("| scenario | clients | requests | errors | p50 ms | p95 ms | p99 ms | req/s |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of results) {
      console.log(`| ${r.scenario} | ${r.concurrency} | ${r.requests} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(1)} |`);
    }
    if (results.some((r) => r.errors > 0)) process.exitCode = 1;
  } finally {
    stop();
  }
}

await main();
