import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, observeQueries } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import { createInnerContext } from "@/server/trpc/init";
import { transformer } from "@/server/trpc/transformer";
import { createCaller } from "@/server/trpc/root";
import { DEFAULT_SHAPE, generateBenchData, type BenchRestaurant } from "../bench/generate";
import { closeDatabase, openTestDatabase, testDatabaseKind } from "../support/database";
import { sessionOf } from "../support/tenant-fixture";

/**
 * The planner's row estimates on the hot paths stay within 10x of the actual rows, on generated data (many
 * restaurants, one big department). Under row-level security the restaurant is never a constant for the planner,
 * so without the extended statistics of migration 0005 a 200-product department is estimated at a handful of rows
 * and every join becomes a nested loop. The statements are the ones the procedures really send (recorded with
 * observeQueries), explained with their parameters inside the same tenant transaction.
 *
 * Checked: every node that reads a table (scans), where the estimate drives the join method. Join outputs are not:
 * the policy's restriction on both sides of a join is counted twice by the planner whatever the statistics, which
 * is why the checklist pins its join method (server/checklist/load.ts) and this test checks that no big table is
 * probed once per row.
 */
const TAG = `plan${randomUUID().slice(0, 8)}`;
const SHAPE = {
  ...DEFAULT_SHAPE,
  restaurants: 30,
  products: 700,
  bigDepartment: 500,
  suppliers: 8,
  categories: 6,
  orders: 20,
  linesPerOrder: 8,
  submittedRequests: 8,
};
/** Below this many rows (estimated and actual) a wrong estimate cannot change a plan that matters. */
const SMALL = 20;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Plan Rows": number;
  "Actual Rows": number;
  "Actual Loops": number;
  Plans?: PlanNode[];
}

interface Recorded {
  procedure: string;
  query: string;
  params: unknown[];
}

/** The recorded statement again, its $n placeholders bound to the recorded parameters. */
function rebuild(query: string, params: unknown[]): SQL {
  const chunks: SQL[] = [];
  const placeholder = /\$(\d+)/g;
  let last = 0;
  for (let m = placeholder.exec(query); m; m = placeholder.exec(query)) {
    chunks.push(sql.raw(query.slice(last, m.index)));
    chunks.push(sql`${params[Number(m[1]) - 1]}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(query.slice(last)));
  return sql.join(chunks, sql.raw(""));
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

const ratio = (a: number, b: number) => Math.max(a, b) / Math.max(1, Math.min(a, b));

describe(`plan check (${testDatabaseKind()})`, () => {
  let restaurants: BenchRestaurant[];
  const recorded: Recorded[] = [];
  let checklistBytes = 0;

  beforeAll(async () => {
    await openTestDatabase();
    restaurants = await generateBenchData(SHAPE, 4, TAG);
    // As the tables' owner (app_admin may not analyze them), as autovacuum would after such an insert.
    const { db } = await getDatabase();
    await db.execute(sql`analyze`);

    // The hot procedures of one restaurant, as its manager; every statement they send is recorded.
    const r = restaurants[0]!;
    const caller = createCaller(createInnerContext({ session: await sessionOf(r.managerId), requestedRestaurantId: r.id }));
    const record = async (procedure: string, call: () => Promise<unknown>) => {
      observeQueries((query, params) => recorded.push({ procedure, query, params }));
      try {
        await call();
      } finally {
        observeQueries(null);
      }
    };
    await record("checklist.department", async () => {
      checklistBytes = Buffer.byteLength(JSON.stringify(transformer.serialize(await caller.checklist.department({ departmentId: r.bigDepartmentId }))));
    });
    await record("checklist.dashboard", () => caller.checklist.dashboard());
    await record("orders.list", () => caller.orders.list());
    await record("history.list", () => caller.history.list({}));
  }, 240_000);

  afterAll(async () => {
    observeQueries(null);
    await withPlatform("test", async (tx) => {
      await tx.execute(sql`delete from restaurants where poster_account_number like ${`${TAG}-%`}`);
      await tx.execute(sql`delete from users where email like ${`${TAG}-%`}`);
    });
    await closeDatabase();
  });

  it("estimates every table read of the hot queries within 10x of the actual rows, and probes no big table per row", async () => {
    const selects = recorded.filter((s) => /^\s*(select|with)\b/i.test(s.query) && !/set_config\(/i.test(s.query));
    expect(new Set(selects.map((s) => s.procedure))).toEqual(new Set(["checklist.department", "checklist.dashboard", "orders.list", "history.list"]));

    const r = restaurants[0]!;
    const problems: string[] = [];
    let checked = 0;
    for (const statement of selects) {
      const plan = await withTenant(r.id, async (tx) => {
        const result = await tx.execute(sql`explain (analyze, format json) ${rebuild(statement.query, statement.params)}`);
        const [row] = rowsOf<{ "QUERY PLAN": unknown }>(result);
        const value = row!["QUERY PLAN"];
        const parsed = (typeof value === "string" ? JSON.parse(value) : value) as { Plan: PlanNode }[];
        return parsed[0]!.Plan;
      });
      for (const node of walk(plan)) {
        if (!node["Relation Name"] || node["Actual Loops"] === 0) continue;
        checked++;
        const where = `${statement.procedure}: ${node["Node Type"]} on ${node["Relation Name"]}${node["Index Name"] ? ` (${node["Index Name"]})` : ""}`;
        const estimated = node["Plan Rows"];
        const actual = node["Actual Rows"];
        if (Math.max(estimated, actual) >= SMALL && ratio(estimated, actual) > 10) {
          problems.push(`${where}: estimated ${estimated} rows, actual ${actual}`);
        }
        if (["products", "product_departments"].includes(node["Relation Name"]) && node["Actual Loops"] > 50) {
          problems.push(`${where}: probed ${node["Actual Loops"]} times (a nested loop over the department)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("answers a 500-product checklist in at most 100 KB before compression", () => {
    // The answer as the route sends it (the transformer's output). The per-row objects with a Date and a repeated
    // explanation were 268 KB for 487 products.
    expect(checklistBytes).toBeGreaterThan(20_000);
    expect(checklistBytes).toBeLessThanOrEqual(100_000);
  });
});
