import { eq } from "drizzle-orm";
import superjson from "superjson";
import { z, type ZodType } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { memberships, suppliers, users } from "@/db/schema";
import { createCallerFactory, createInnerContext, createTRPCRouter, open } from "@/server/trpc/init";
import { appRouter, createCaller } from "@/server/trpc/root";
import { closeDatabase, openTestDatabase, testDatabaseKind } from "../support/database";
import { callProcedure, holdsUuid, listProcedures, outcomeOf, sampleInput, uuidLeaves, type PathKey, type ProcedureInfo } from "../support/procedures";
import { idsIn, newMarker, seedTenant, sessionOf, tenantSnapshot, tenantTables, type SeededTenant } from "../support/tenant-fixture";

/**
 * IDOR: signed in as restaurant A's owner, every procedure is called with restaurant B's ids in each id-shaped
 * field (and A's ids in the others, so the call gets as deep as it can). Nothing of B may come back (ids or
 * names), B's rows must be exactly as before, and A's rows must not start pointing at B. Procedures are found by
 * introspecting the router and their zod input schemas: new ones are covered without touching this file.
 */

const procedures = listProcedures(appRouter);
const withIds = procedures.filter((p) => p.inputs.some((s) => holdsUuid(s)));
const withoutIds = procedures.filter((p) => !p.inputs.some((s) => holdsUuid(s)));

const singular = (table: string) => (table.endsWith("ies") ? `${table.slice(0, -3)}y` : table.replace(/s$/, ""));
const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
const ALIASES: Record<string, string> = { member: "membership" };

/** The tables an id field refers to, from its name (`supplierId` → suppliers, `orderLineId` → purchase_order_lines); [] = unknown. */
function tablesFor(path: PathKey[], key: string, tables: string[]): string[] {
  let name = key;
  if (/^ids?$/i.test(name)) {
    // `{ lines: [{ id }] }`: the id of a line.
    const parent = [...path].reverse().find((p, i) => typeof p === "string" && i > 0 && p !== key);
    name = typeof parent === "string" ? singular(parent) : "";
  }
  const base = snake(name.replace(/Ids?$/, "").replace(/_ids?$/, ""));
  if (!base) return [];
  const target = ALIASES[base] ?? base;
  return tables.filter((t) => singular(t) === target || singular(t).endsWith(`_${target}`));
}

function mergedSample(proc: ProcedureInfo, pick: (path: PathKey[], key: string) => string): unknown {
  if (proc.inputs.length === 0) return undefined;
  const parts = proc.inputs.map((schema) => sampleInput(schema, pick));
  return parts.length === 1 ? parts[0] : Object.assign({}, ...(parts as object[]));
}

const validFor = (proc: ProcedureInfo, input: unknown) => proc.inputs.every((s: ZodType) => s.safeParse(input).success);

describe(`IDOR: restaurant A's owner with restaurant B's ids (${testDatabaseKind()})`, () => {
  let a: SeededTenant;
  let b: SeededTenant;
  let tables: string[];
  let bSnapshot: string;
  let bIds: Set<string>;
  let ownerMembershipA: string;

  beforeAll(async () => {
    await openTestDatabase();
    a = await seedTenant(newMarker("Alfa"));
    b = await seedTenant(newMarker("Zeta"));
    tables = ["restaurants", "users", ...(await tenantTables())];
    bSnapshot = await tenantSnapshot(b.restaurantId);
    bIds = idsIn(bSnapshot);
    const [m] = await withPlatform("test", (tx) => tx.select({ id: memberships.id }).from(memberships).where(eq(memberships.userId, a.userIds[0]!)));
    ownerMembershipA = m!.id;
  }, 120_000);
  afterAll(closeDatabase);

  it("seeds B with at least one row in every tenant table", async () => {
    const empty = (await tenantTables()).filter((t) => !snapshotHasRows(bSnapshot, t));
    expect(empty).toEqual([]);
    expect(bIds.size).toBeGreaterThan(20);
  });

  /** Puts A's owner back (a call may legitimately change A) and answers a caller with a current session. */
  async function ownerCaller() {
    await withPlatform("test", async (tx) => {
      await tx.update(memberships).set({ role: "owner", isActive: true }).where(eq(memberships.id, ownerMembershipA));
      await tx.update(users).set({ isActive: true }).where(eq(users.id, a.userIds[0]!));
    });
    return createCaller(createInnerContext({ session: await sessionOf(a.userIds[0]!), requestedRestaurantId: a.restaurantId }));
  }

  /** Checks one call's answer; returns problems (empty when clean). */
  function leaksIn(outcome: Awaited<ReturnType<typeof outcomeOf>>, sentIds: string[]): string[] {
    const problems: string[] = [];
    const text = outcome.ok ? superjson.stringify(outcome.data ?? null) : `${outcome.code} ${outcome.message}`;
    const lower = text.toLowerCase();
    if (lower.includes(b.marker.toLowerCase())) problems.push(`answer contains B's data: ${text.slice(0, 300)}`);
    for (const id of bIds) {
      // An error may repeat the id the caller sent; a result may not carry any of B's ids.
      if (lower.includes(id) && (outcome.ok || !sentIds.includes(id))) problems.push(`answer contains B's id ${id}`);
    }
    if (!outcome.ok && (outcome.code === "INTERNAL_SERVER_ERROR" || outcome.code === "NOT_A_TRPC_ERROR")) {
      problems.push(`server error instead of a clear refusal: ${outcome.message}`);
    }
    return problems;
  }

  async function assertNothingOfBTouched(path: string) {
    expect(await tenantSnapshot(b.restaurantId), `${path} changed restaurant B's rows`).toBe(bSnapshot);
    const aNow = await tenantSnapshot(a.restaurantId);
    const pointing = [...idsIn(aNow)].filter((id) => bIds.has(id));
    expect(pointing, `${path} made restaurant A's rows point at B's`).toEqual([]);
  }

  /** Calls `proc` with B's ids, field by field and all at once; answers the leaks and how many inputs were valid. */
  async function idorProblems(proc: ProcedureInfo, makeCaller: () => Promise<unknown>): Promise<{ problems: string[]; validCalls: number }> {
    const leaves = proc.inputs.flatMap((s) => uuidLeaves(s));
    const pathKey = (p: PathKey[]) => p.join(".");
    const idsOf = (seeded: SeededTenant, path: PathKey[], key: string) => {
      const named = tablesFor(path, key, tables);
      return (named.length ? named : tables).flatMap((t) => seeded.ids[t] ?? []);
    };
    let validCalls = 0;
    const problems: string[] = [];
    for (const leaf of leaves) {
      for (const foreignId of idsOf(b, leaf.path, leaf.key)) {
        const input = mergedSample(proc, (path, key) => (pathKey(path) === pathKey(leaf.path) ? foreignId : (idsOf(a, path, key)[0] ?? a.restaurantId)));
        if (validFor(proc, input)) validCalls++;
        const outcome = await outcomeOf(callProcedure(await makeCaller(), proc.path, input));
        problems.push(...leaksIn(outcome, [foreignId]).map((p) => `${proc.path}(${pathKey(leaf.path)}=B's ${foreignId}): ${p}`));
      }
    }
    // Every id field B's at once.
    const allB = mergedSample(proc, (path, key) => idsOf(b, path, key)[0] ?? b.restaurantId);
    if (validFor(proc, allB)) validCalls++;
    const outcome = await outcomeOf(callProcedure(await makeCaller(), proc.path, allB));
    problems.push(...leaksIn(outcome, [...bIds]).map((p) => `${proc.path}(all B): ${p}`));
    return { problems, validCalls };
  }

  for (const proc of withIds) {
    it(`${proc.path} with B's ids`, { timeout: 120_000 }, async (ctx) => {
      const { problems, validCalls } = await idorProblems(proc, ownerCaller);
      expect(problems).toEqual([]);
      await assertNothingOfBTouched(proc.path);
      // Inputs the generator could not make valid never reach the procedure: report them as not covered.
      if (validCalls === 0) ctx.skip(`${proc.path}: no generated input passed its schema; IDOR not exercised`);
    });
  }

  it("procedures without ids read nothing of B", { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    for (const proc of withoutIds) {
      const input = mergedSample(proc, () => a.restaurantId);
      const outcome = await outcomeOf(callProcedure(await ownerCaller(), proc.path, input));
      problems.push(...leaksIn(outcome, []).map((p) => `${proc.path}: ${p}`));
    }
    expect(problems).toEqual([]);
    await assertNothingOfBTouched("procedures without ids");
  });

  it("the leak check is not blind: B's own owner does see B's data", async () => {
    const caller = createCaller(createInnerContext({ session: await sessionOf(b.userIds[0]!), requestedRestaurantId: b.restaurantId }));
    const outcome = await outcomeOf(caller.team.members());
    expect(leaksIn(outcome, []).length).toBeGreaterThan(0);
  });

  it("the harness itself catches a procedure that reads or writes by id around row-level security", async () => {
    const leaky = createTRPCRouter({
      peek: open()
        .input(z.object({ supplierId: z.uuid() }).strict())
        .query(({ input }) => withPlatform("test", (tx) => tx.select().from(suppliers).where(eq(suppliers.id, input.supplierId)))),
      rename: open()
        .input(z.object({ supplierId: z.uuid() }).strict())
        .mutation(({ input }) => withPlatform("test", (tx) => tx.update(suppliers).set({ comment: "renamed" }).where(eq(suppliers.id, input.supplierId)))),
    });
    const caller = async () => createCallerFactory(leaky)(createInnerContext());
    const [peek, rename] = ["peek", "rename"].map((path) => listProcedures(leaky).find((p) => p.path === path)!);
    const read = await idorProblems(peek!, caller);
    expect(read.validCalls).toBeGreaterThan(0);
    expect(read.problems.some((p) => p.includes("answer contains B's"))).toBe(true);

    const original = await withPlatform("test", (tx) => tx.select({ id: suppliers.id, comment: suppliers.comment }).from(suppliers).where(eq(suppliers.restaurantId, b.restaurantId)));
    await idorProblems(rename!, caller);
    try {
      expect(await tenantSnapshot(b.restaurantId)).not.toBe(bSnapshot);
    } finally {
      await withPlatform("test", async (tx) => {
        for (const row of original) await tx.update(suppliers).set({ comment: row.comment }).where(eq(suppliers.id, row.id));
      });
    }
  });
});

function snapshotHasRows(snapshot: string, table: string): boolean {
  const parsed = JSON.parse(snapshot) as Record<string, unknown>;
  const rows = parsed[table];
  return Array.isArray(rows) && rows.length > 0;
}
