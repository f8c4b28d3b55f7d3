/**
 * npm run seed:scale -- --restaurants 120 [--seed scale] [--tag scale]: the scale data set (tests/scale/seed.ts)
 * into DATABASE_URL (migrated first), deterministic from the seed. Restaurants already seeded with the tag are
 * kept: it adds nothing when they are all there, and refuses a partial set (drop the database and seed again).
 */
import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { migratePostgres } from "@/db/migrate";
import { benchDataSize } from "@/tests/bench/generate";
import { loadScale, seedScale } from "@/tests/scale/seed";

const { values } = parseArgs({
  options: { restaurants: { type: "string", default: "120" }, seed: { type: "string", default: "scale" }, tag: { type: "string", default: "scale" } },
});
const count = Number(values.restaurants);
if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error("--restaurants must be a whole number from 1 to 10000");
const url = process.env.DATABASE_URL;
if (!url) throw new Error("seed:scale needs DATABASE_URL (a Postgres database you may fill)");
process.env.LOG_LEVEL ??= "warn";
await migratePostgres(process.env.DATABASE_URL_DIRECT ?? url);

const started = performance.now();
const existing = await loadScale(values.seed, values.tag);
if (existing.length === count) {
  console.log(`${count} restaurants tagged "${values.tag}" are already there: nothing seeded.`);
} else if (existing.length > 0) {
  throw new Error(`${existing.length} restaurants tagged "${values.tag}" exist, not ${count}: use another --tag or a fresh database.`);
} else {
  await seedScale({ count, seed: values.seed, tag: values.tag });
  console.log(`Seeded ${count} restaurants in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
console.table(await benchDataSize());
await closeDatabase();
