/**
 * postgres.js 3.4.9 crashed the process (an uncaught TypeError from `nextWrite` on a null socket) when a query was
 * written to a connection whose backend had died: porsager/postgres#1154 and #1208, open upstream. Our patch
 * (patches/postgres+3.4.9.patch, applied by patch-package on install) rejects the query with CONNECTION_CLOSED
 * instead. And a transaction whose connection was killed went on sending its queries (its rollback at least) on the
 * reconnected connection, where their answers were taken for the next queries' (`select 2` answered with no rows).
 * Postgres only: PGlite has no backend to kill.
 */
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("postgres.js on a connection whose backend died", () => {
  const pool = url ? postgres(url, { max: 2, onnotice: () => {} }) : null;
  const killer = url ? postgres(url, { max: 1, onnotice: () => {} }) : null;
  afterAll(async () => {
    await pool?.end({ timeout: 1 });
    await killer?.end({ timeout: 1 });
  });

  it("rejects the query with CONNECTION_CLOSED, throws nothing uncaught, and the pool keeps working", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      const reserved = await pool!.reserve();
      const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await killer!`select pg_terminate_backend(${row!.pid})`;
      await new Promise((r) => setTimeout(r, 200)); // the client sees the socket close
      const outcome = await reserved`select 1`.then(() => "resolved", (e: { code?: string }) => e.code);
      await new Promise((r) => setImmediate(r)); // a write deferred to the next tick ran too
      reserved.release();
      expect(outcome).toBe("CONNECTION_CLOSED");
      expect(uncaught).toEqual([]);
      const [again] = await pool!<{ one: number }[]>`select 1 as one`;
      expect(again?.one).toBe(1);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });

  it("a transaction whose connection is killed fails, and the queries after it get their own answers", async () => {
    for (let round = 0; round < 3; round++) {
      const outcome = await pool!
        .begin(async (tx) => {
          const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          await killer!`select pg_terminate_backend(${row!.pid})`;
          await new Promise((r) => setTimeout(r, 50));
          await tx`select 1`;
          return "committed";
        })
        .then((x) => x, (e: { code?: string }) => e.code);
      expect(outcome).toBe("CONNECTION_CLOSED");
      const answers = await Promise.all([1, 2, 3, 4].map(async (i) => (await pool!<{ i: number }[]>`select ${i}::int as i`)[0]?.i));
      expect(answers).toEqual([1, 2, 3, 4]);
    }
  });
});
