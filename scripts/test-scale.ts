/**
 * npm run test:scale [-- --restaurants N | --full]: the scale scenarios (vitest project "scale", tests/scale) on
 * the real Postgres at TEST_DATABASE_URL and the real Redis (TEST_REDIS_URL, default 127.0.0.1:6379) through the
 * Upstash bridge. 12 restaurants by default (a few minutes); --full is the plan's 120. Figures go to
 * tests/bench/results.json under "scale". PgBouncer: PGBOUNCER_BIN (default /usr/sbin/pgbouncer), listening
 * on SCALE_PGBOUNCER_PORT (default 6433).
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: { restaurants: { type: "string" }, full: { type: "boolean", default: false } },
  allowPositionals: true,
});
if (!process.env.TEST_DATABASE_URL) {
  console.error("test:scale needs TEST_DATABASE_URL: a Postgres database it may fill (e.g. postgres://rc_owner@127.0.0.1:5432/rc_scale_test)");
  process.exit(2);
}
const restaurants = values.full ? "120" : (values.restaurants ?? process.env.SCALE_RESTAURANTS ?? "12");
const result = spawnSync("npx", ["vitest", "run", "--project", "scale", ...positionals], {
  stdio: "inherit",
  env: { ...process.env, SCALE_RESTAURANTS: restaurants },
});
process.exit(result.status ?? 1);
