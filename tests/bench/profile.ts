/**
 * `npm run bench:profile -- <scenario> [seconds]`: a CPU profile of the production server under one load, and
 * where its time went. Scenarios: checklist, save, small, floor. Uses the bench database (BENCH_DATABASE_URL,
 * filled by `npm run bench` first) and the production build; BENCH_PORT (3256), PROFILE_DIR (.data/profiles).
 *
 * Runs `node --cpu-prof … next start` (NODE_OPTIONS=--cpu-prof is refused), 4 connections for the given seconds,
 * SIGINT (the profile is written on exit), then prints self time by package and the top functions.
 * Run it under the heavy-command lock.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { closeDatabase } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { startSession } from "@/server/accounts/sessions";
import { resetEnvForTests } from "@/server/env";
import { startUpstashBridge } from "../support/upstash-bridge";
import { loadBenchRestaurants } from "./generate";

const scenario = process.argv[2] ?? "checklist";
const SECONDS = Number(process.argv[3] ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3256);
const DIR = path.resolve(process.env.PROFILE_DIR ?? ".data/profiles");
const AUTH_SECRET = "bench-secret-not-for-production-0123456789";
const COOKIE = "authjs.session-token";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Where the time of the last `windowSeconds` of the profile went (the load; startup and warm-up excluded): self time
 * by package (node_modules/<pkg>, the app's own chunks, node internals), self time by function, and inclusive time
 * (the function or anything it called) of the functions that take the most.
 */
export function summarise(file: string, windowSeconds = Infinity, top = 25): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; endTime: number };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample times from the deltas; keep the window before the end.
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) times.push((t += d));
  const from = (times[times.length - 1] ?? 0) - windowSeconds * 1e6;
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (times[i]! >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    byFunction.set(label(node), (byFunction.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [`sampled ${(total / 1e6).toFixed(2)} s (the last ${windowSeconds} s)`, "", "self time by package:"];
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${pct(v)}  ${k}`);
  lines.push("", "top functions (self):");
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(v)}  ${k}`);
  lines.push("", "top functions (inclusive):");
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) lines.push(`  ${pct(v)}  ${k}`);
  return lines.join("\n");
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return "node:" + url.slice(5).split("/")[0];
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // Next's bundled copies (next/dist/compiled/<pkg>) are third-party code too.
    if (pkg === "next" && rest[2] === "compiled") return `next/compiled/${rest[3]}`;
    return pkg;
  }
  if (url.includes("/.next/server/chunks/")) return "(app server chunks)";
  if (url.includes("/.next/")) return "(app .next)";
  return shortUrl(url);
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");

async function main() {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error("BENCH_DATABASE_URL (a database `npm run bench` filled)");
  process.env.DATABASE_URL = databaseUrl;
  resetEnvForTests();
  const restaurants = await loadBenchRestaurants();
  if (restaurants.length === 0) throw new Error("no bench data: run `npm run bench` first");
  const sessions = new Map<string, string>();
  const products = new Map<string, string[]>();
  for (const r of restaurants) {
    sessions.set(r.managerId, await withPlatform("auth", (tx) => startSession(tx, { userId: r.managerId, userAgent: "profile", ip: null })));
    const list = await withPlatform("seed", async (tx) =>
      rowsOf<{ product_id: string }>(await tx.execute(sql`select product_id from product_departments where department_id = ${r.bigDepartmentId} and not is_hidden limit 50`)),
    );
    products.set(r.id, list.map((x) => x.product_id));
  }
  await closeDatabase();

  mkdirSync(DIR, { recursive: true });
  const before = new Set(readdirSync(DIR));
  const bridge = await startUpstashBridge();
  const server = spawn("node", ["--cpu-prof", `--cpu-prof-dir=${DIR}`, "node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: "10",
      AUTH_SECRET,
      APP_URL: `http://localhost:${PORT}`,
      TOKEN_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
      BACKUP_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 9).toString("base64")}`,
      BACKUP_DIR: "/tmp/rc-bench-backups",
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      POSTER_SIMULATOR: "embedded",
      POSTER_APPLICATION_ID: "bench-app",
      POSTER_APPLICATION_SECRET: "bench-app-secret-not-for-production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://localhost:${PORT}`;
  try {
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`${base}/sign-in`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error("next start did not answer");
      await new Promise((r) => setTimeout(r, 300));
    }
    const cookies = await Promise.all(
      restaurants.map(async (r) => {
        const token = await encode({ token: { sub: r.managerId, uid: r.managerId, sv: 1, sid: sessions.get(r.managerId), email: "bench@bench.test", name: "Bench" }, secret: AUTH_SECRET, salt: COOKIE, maxAge: 3600 });
        return `${COOKIE}=${token}; rc_restaurant=${r.id}`;
      }),
    );
    const request = (i: number): Promise<Response> => {
      const r = restaurants[i % restaurants.length]!;
      const cookie = cookies[i % restaurants.length]!;
      const q = (p: string, input?: unknown) =>
        fetch(`${base}/api/trpc/${p}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`, { headers: { cookie } });
      if (scenario === "floor") return fetch(`${base}/api/auth/csrf`);
      if (scenario === "small") return q("restaurant.current");
      if (scenario === "checklist") return q("checklist.department", { departmentId: r.bigDepartmentId });
      const list = products.get(r.id)!;
      return fetch(`${base}/api/trpc/checklist.saveLine`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: base },
        body: JSON.stringify({ json: { departmentId: r.bigDepartmentId, productId: list[i % list.length]!, quantity: `${1 + (i % 7)}.5`, clientMutationId: `p-${i}` } }),
      });
    };
    for (let i = 0; i < 40; i++) await (await request(i)).arrayBuffer();
    let n = 0;
    let errors = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() < end) {
          const res = await request(n++);
          await res.arrayBuffer();
          if (!res.ok) errors++;
        }
      }),
    );
    console.log(`[profile] ${scenario}: ${n} requests in ${SECONDS} s (${(n / SECONDS).toFixed(1)} req/s, profiler on), ${errors} errors`);
  } finally {
    // If next start forked a next-server child, it writes the profile that matters: interrupt it first.
    const children = spawnSync("pgrep", ["-P", String(server.pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    for (const pid of children) process.kill(Number(pid), "SIGINT");
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    await bridge.close();
  }
  await new Promise((r) => setTimeout(r, 500));
  const written = readdirSync(DIR)
    .filter((f) => f.endsWith(".cpuprofile") && !before.has(f))
    .map((f) => path.join(DIR, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!written[0]) throw new Error(`no profile written in ${DIR}`);
  console.log(`[profile] ${written[0]}\n${summarise(written[0], SECONDS)}`);
}

if (process.argv[2] === "summarise") console.log(summarise(process.argv[3]!, Number(process.argv[4] ?? Infinity)));
else await main();
