/**
 * Scenario 2, behind a real pooler: Debian's PgBouncer in transaction mode (started here), DATABASE_PREPARE=false,
 * 10 app instances (separate processes, each its own postgres.js pool of 5: 50 client connections) sharing a
 * server-side pool of 6 in front of a database whose connection limit is 8. Concurrent tenant calls across all
 * the scale restaurants, platform calls and statements outside any transaction, some transactions rolled back:
 * no connection error, and no tenant or role leaks between pooled transactions (asserted on every call).
 */
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { closeDatabase } from "@/tests/support/database";
import { openScale, percentile, recordScale, round, SCALE_RESTAURANTS, scaleDatabaseUrl } from "./fixture";
import { startPgBouncer, type PgBouncer } from "./pgbouncer";

const INSTANCES = 10;
const INSTANCE_POOL = 5;
const SERVER_POOL = 6;
const DB_CONNECTION_LIMIT = SERVER_POOL + 2; // the pool, this test's monitor and one spare
const CALLS_PER_INSTANCE = SCALE_RESTAURANTS >= 100 ? 1_000 : 300;
const PORT = Number(process.env.SCALE_PGBOUNCER_PORT ?? "6433");

interface InstanceResult {
  instance: number;
  calls: number;
  tenantCalls: number;
  platformCalls: number;
  bareCalls: number;
  rolledBack: number;
  mismatches: string[];
  errors: string[];
  latenciesMs: number[];
}

function runInstance(instance: number, url: string, restaurants: { id: string; products: number }[]): Promise<InstanceResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/scale/pooled-instance.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATABASE_PREPARE: "false",
        DATABASE_POOL_MAX: String(INSTANCE_POOL),
        LOG_LEVEL: "silent",
        SCALE_INSTANCE: JSON.stringify({ instance, calls: CALLS_PER_INSTANCE, concurrency: INSTANCE_POOL * 2, restaurants }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`instance ${instance} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line) as InstanceResult);
    });
  });
}

describe.skipIf(!scaleDatabaseUrl())("scale: behind PgBouncer (transaction mode)", () => {
  let bouncer: PgBouncer | null = null;
  let monitor: postgres.Sql;
  let database: string;
  let restaurants: { id: string; products: number }[] = [];

  beforeAll(async () => {
    const seeded = await openScale();
    const counts = await withPlatform("test", async (tx) =>
      rowsOf<{ id: string; n: number }>(await tx.execute(sql`select restaurant_id as id, count(*)::int as n from products group by restaurant_id`)),
    );
    const byId = new Map(counts.map((c) => [c.id, c.n]));
    restaurants = seeded.map((r) => ({ id: r.id, products: byId.get(r.id) ?? 0 }));
    // Only the pooler (and the monitor) may connect from here on.
    await closeDatabase();
    database = new URL(scaleDatabaseUrl()).pathname.slice(1);
    monitor = postgres(scaleDatabaseUrl(), { max: 1, onnotice: () => {} });
    await monitor.unsafe(`alter database "${database}" connection limit ${DB_CONNECTION_LIMIT}`);
    bouncer = await startPgBouncer({ directUrl: scaleDatabaseUrl(), port: PORT, poolSize: SERVER_POOL });
  }, 300_000);

  afterAll(async () => {
    await bouncer?.stop();
    await monitor?.unsafe(`alter database "${database}" connection limit -1`);
    await monitor?.end({ timeout: 5 });
  });

  it("the database's connection limit is real: the instances' 50 connections could not all connect directly", async () => {
    const direct = postgres(scaleDatabaseUrl(), { max: INSTANCE_POOL * 2, onnotice: () => {}, connect_timeout: 5 });
    // Each query holds its connection until all have started, so the pool must open every one of them.
    const results = await Promise.allSettled(Array.from({ length: INSTANCE_POOL * 2 }, () => direct`select pg_sleep(0.3)`));
    await direct.end({ timeout: 5 });
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as { code?: string });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.code === "53300")).toBe(true); // too_many_connections
  });

  it("10 instances × 5 connections through a server pool of 6: every call sees its own tenant and role, no connection error", async () => {
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await monitor<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
          where datname = ${database} and backend_type = 'client backend' and pid <> pg_backend_pid()`;
        peak = Math.max(peak, row!.n);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => runInstance(i, bouncer!.url, restaurants)));
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;

    const mismatches = results.flatMap((r) => r.mismatches);
    const errors = results.flatMap((r) => r.errors);
    const latencies = results.flatMap((r) => r.latenciesMs);
    const calls = results.reduce((s, r) => s + r.calls, 0);
    const figures = {
      instances: INSTANCES,
      client_connections: INSTANCES * INSTANCE_POOL,
      server_pool: SERVER_POOL,
      database_connection_limit: DB_CONNECTION_LIMIT,
      calls,
      tenant_calls: results.reduce((s, r) => s + r.tenantCalls, 0),
      platform_calls: results.reduce((s, r) => s + r.platformCalls, 0),
      bare_calls: results.reduce((s, r) => s + r.bareCalls, 0),
      rolled_back: results.reduce((s, r) => s + r.rolledBack, 0),
      tenant_or_role_leaks: mismatches.length,
      connection_errors: errors.length,
      db_connections_peak: peak,
      seconds: round(seconds),
      calls_per_second: round(calls / seconds, 0),
      call_ms_p50: round(percentile(latencies, 50)),
      call_ms_p95: round(percentile(latencies, 95)),
      call_ms_max: round(percentile(latencies, 100)),
    };
    recordScale("pooler", figures);
    console.log("scale pooler:", figures);

    expect(errors.slice(0, 5)).toEqual([]);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(calls).toBe(INSTANCES * CALLS_PER_INSTANCE);
    expect(figures.tenant_calls).toBeGreaterThan(0);
    expect(figures.rolled_back).toBeGreaterThan(0);
    // The instances shared the small server pool: never more server connections than the pool (+ the monitor's).
    expect(peak).toBeLessThanOrEqual(SERVER_POOL);
    expect(peak).toBeGreaterThan(0);
  }, 600_000);
});
