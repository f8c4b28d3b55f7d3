/**
 * `npm run db:check` (part of `npm test`): the migrations against fresh databases (db/check.ts says what is
 * checked). Database: one in-memory PGlite, or with DB_CHECK_DATABASE_URL a Postgres database the check may WIPE
 * (every check drops what migrations create; it is left empty). `-- --all` exercises the reverse of
 * every migration, not only the latest.
 */
import { parseArgs } from "node:util";
import { reusedDatabase, runChecks } from "@/db/check";
import { openRawPglite, openRawPostgres } from "@/db/raw";

const { values } = parseArgs({ options: { all: { type: "boolean", default: false } } });
const url = process.env.DB_CHECK_DATABASE_URL || null;

console.log(`Migration checks on ${url ? `Postgres ${new URL(url).host}${new URL(url).pathname} (wiped)` : "an in-memory PGlite database"}:`);
const started = Date.now();
const database = reusedDatabase(() => (url ? openRawPostgres(url) : openRawPglite("memory")));
const results = await runChecks(database.fresh, { all: values.all, log: (line) => console.log(line) }).finally(() => database.close());
const failed = results.filter((r) => !r.ok);
console.log(`\nMigration checks: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = failed.length ? 1 : 0;
