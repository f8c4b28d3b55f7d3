/**
 * What every scale scenario shares: the Postgres at TEST_DATABASE_URL (migrated), the scale data set of
 * SCALE_RESTAURANTS restaurants (seeded on first use, reused after), a fixed test key for the Poster tokens,
 * and the figures file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { resetEnvForTests } from "@/server/env";
import { startPosterSimulatorServer, type PosterSimulatorServer } from "@/simulator";
import { tenantTables } from "@/tests/support/tenant-fixture";
import { E2E_TOKEN_ENCRYPTION_KEYS } from "@/tests/support/e2e-env";
import { openTestDatabase } from "@/tests/support/database";
import { loadScale, scaleSimAccounts, seedScale, type ScaleRestaurant } from "./seed";

export const SCALE_SEED = process.env.SCALE_SEED ?? "scale";
export const SCALE_RESTAURANTS = Number(process.env.SCALE_RESTAURANTS ?? "12");
/** The tag carries the count, so a database seeded at another size is not mistaken for this one. */
export const SCALE_TAG = `scale${SCALE_RESTAURANTS}`;
export const scaleDatabaseUrl = () => process.env.TEST_DATABASE_URL ?? "";

/** Opens the database and returns the seeded restaurants (seeding them the first time). */
export async function openScale(): Promise<ScaleRestaurant[]> {
  process.env.TOKEN_ENCRYPTION_KEYS = E2E_TOKEN_ENCRYPTION_KEYS;
  await openTestDatabase();
  const existing = await loadScale(SCALE_SEED, SCALE_TAG);
  if (existing.length === SCALE_RESTAURANTS) return existing;
  if (existing.length > 0) throw new Error(`${existing.length} restaurants tagged ${SCALE_TAG} in the test database, not ${SCALE_RESTAURANTS}: recreate it`);
  const started = performance.now();
  const made = await seedScale({ count: SCALE_RESTAURANTS, seed: SCALE_SEED, tag: SCALE_TAG });
  recordScale("seed", { restaurants: SCALE_RESTAURANTS, seconds: round((performance.now() - started) / 1000) });
  return made;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const RESULTS = path.join(process.cwd(), "tests/bench/results.json");

/**
 * Writes one scenario's figures under "scale" in tests/bench/results.json. Read-modify-write of that key only:
 * other benches keep their keys in the same file. Atomic (a temporary file renamed over it).
 */
export function recordScale(scenario: string, figures: Record<string, unknown>): void {
  const all = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  const scale = (all.scale && typeof all.scale === "object" ? all.scale : {}) as Record<string, unknown>;
  scale[scenario] = { ...figures, restaurants: figures.restaurants ?? SCALE_RESTAURANTS, measuredAt: new Date().toISOString() };
  all.scale = scale;
  const tmp = `${RESULTS}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
  renameSync(tmp, RESULTS);
}

/**
 * The simulator over HTTP with one account per scale restaurant (rebuilt from the seed: same data, same tokens),
 * and the app pointed at it (POSTER_API_URL), so getPosterClientForRestaurant and the jobs talk to it as to Poster.
 */
export async function startScaleSimulator(): Promise<PosterSimulatorServer> {
  const server = await startPosterSimulatorServer({ accounts: scaleSimAccounts(SCALE_RESTAURANTS, SCALE_SEED, SCALE_TAG), webhooks: { url: null } });
  process.env.POSTER_API_URL = server.url;
  resetEnvForTests();
  return server;
}

/**
 * A checksum of everything a restaurant owns: per tenant table, md5 over its rows' text in a fixed order (the
 * restaurant row itself included). Equal checksums = equal data, whatever wrote it.
 */
export async function tenantChecksum(restaurantId: string, tables?: string[]): Promise<Record<string, string>> {
  const list = tables ?? (await tenantTables());
  return withPlatform("test", async (tx) => {
    const parts = list.map(
      (t) => sql`${t}::text, (select md5(coalesce(string_agg(r::text, '|' order by r::text), '')) from ${sql.identifier(t)} r where restaurant_id = ${restaurantId})`,
    );
    const [row] = rowsOf<{ j: Record<string, string> }>(
      await tx.execute(sql`select json_build_object('restaurants', (select md5(r::text) from restaurants r where id = ${restaurantId}), ${sql.join(parts, sql`, `)}) as j`),
    );
    return typeof row!.j === "string" ? (JSON.parse(row!.j) as Record<string, string>) : row!.j;
  });
}
