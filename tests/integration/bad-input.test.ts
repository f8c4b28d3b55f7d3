import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPCError } from "@trpc/server";
import { z, type ZodType } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallerFactory, createInnerContext, createTRPCRouter, open } from "@/server/trpc/init";
import { appRouter, createCaller } from "@/server/trpc/root";
import { closeDatabase, openTestDatabase, testDatabaseKind } from "../support/database";
import {
  callProcedure,
  corruptions,
  listProcedures,
  looseObjects,
  outcomeOf,
  sampleInput,
  setAt,
  TOP_LEVEL_CORRUPTIONS,
  valueLeaves,
  type PathKey,
  type ProcedureInfo,
} from "../support/procedures";
import { newMarker, seedTenant, sessionOf, tenantSnapshot, type SeededTenant } from "../support/tenant-fixture";

/**
 * Bad input: every procedure with an input schema, called by restaurant A's owner with malformed values derived
 * from a valid-looking sample (wrong types, 100k-character strings, negative numbers, NaN, Infinity, unknown
 * fields, null, arrays for objects). Each answer must be a 4xx TRPCError with a message, never a 500, and A's
 * rows must be exactly as before. A schema that ACCEPTS a huge string, a negative number or an unknown field
 * fails too: that is the missing max()/min()/strict() the issue asks for.
 */

/** Values Postgres itself refuses (a NUL byte in text, year 0000, an int4 overflow): a 400 from zod, nothing else. */
const POSTGRES_REFUSES = ["NUL byte", "year 0000", "2^31"];

/** Path → labels a schema may legitimately accept, with the reason. Keep it short and justified. */
const MAY_ACCEPT: Record<string, { labels: string[]; why: string }> = {
  "orders.receive:lines.0.priceMinor": { labels: ["2^31"], why: "a bigint column: 2^31 minor units is a valid (large) price" },
};

/** Labels that must be refused even when the value's type fits. */
const MUST_REFUSE = new Set(["huge string", "negative", "NaN", "Infinity", "unknown field", ...POSTGRES_REFUSES]);

const procedures = listProcedures(appRouter).filter((p) => p.inputs.length > 0);

function accepts(proc: ProcedureInfo, input: unknown): boolean {
  return proc.inputs.every((s: ZodType) => {
    try {
      return s.safeParse(input).success;
    } catch {
      return false;
    }
  });
}

function objectPaths(value: unknown, path: PathKey[] = []): PathKey[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
  }
  return [];
}

function getAt(value: unknown, path: PathKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<PathKey, unknown>)[k], value);
}

/** Sends every malformed variant of a sample input; answers what went wrong and how many were sent. */
async function malformedInputProblems(proc: ProcedureInfo, caller: unknown, id: string): Promise<{ problems: string[]; sent: number }> {
  // Every optional field filled, so each of them is corrupted too.
  const sample = (s: ZodType) => sampleInput(s, () => id, [], { everyField: true });
  const base = proc.inputs.length === 1 ? sample(proc.inputs[0]!) : Object.assign({}, ...proc.inputs.map((s) => sample(s) as object));
  const variants: { where: string; label: string; value: unknown }[] = TOP_LEVEL_CORRUPTIONS.map((c) => ({ where: "(input)", ...c }));
  for (const leaf of valueLeaves(base)) {
    for (const c of corruptions(leaf.value)) variants.push({ where: leaf.path.join(".") || "(input)", label: c.label, value: setAt(base, leaf.path, c.value) });
  }
  for (const path of objectPaths(base)) {
    const object = getAt(base, path) as Record<string, unknown>;
    variants.push({ where: path.join(".") || "(input)", label: "unknown field", value: setAt(base, path, { ...object, __probe: "x" }) });
  }
  const problems: string[] = [];
  let sent = 0;
  for (const v of variants) {
    if (accepts(proc, v.value)) {
      const allowed = MAY_ACCEPT[`${proc.path}:${v.where}`]?.labels.includes(v.label);
      if (MUST_REFUSE.has(v.label) && !allowed) problems.push(`${v.where}: the schema accepts ${v.label}`);
      // Otherwise the value is simply valid for this schema (null for a nullable field, {} for all-optional).
      continue;
    }
    sent++;
    const outcome = await outcomeOf(callProcedure(caller, proc.path, v.value));
    if (outcome.ok) {
      problems.push(`${v.where} = ${v.label}: succeeded`);
      continue;
    }
    const status = outcome.code === "NOT_A_TRPC_ERROR" ? 500 : getHTTPStatusCodeFromError(outcome.error as TRPCError);
    if (status < 400 || status >= 500) problems.push(`${v.where} = ${v.label}: ${outcome.code} (${status}) ${outcome.message}`);
    // A 400 from the schema; an access refusal may come first (the owner calling an admin procedure).
    else if (POSTGRES_REFUSES.includes(v.label) && !["BAD_REQUEST", "FORBIDDEN", "UNAUTHORIZED"].includes(outcome.code)) {
      problems.push(`${v.where} = ${v.label}: ${outcome.code}, not BAD_REQUEST`);
    }
    if (!outcome.message.trim()) problems.push(`${v.where} = ${v.label}: empty error message`);
  }
  return { problems: [...new Set(problems)], sent };
}

describe(`bad input never reaches the database (${testDatabaseKind()})`, () => {
  let a: SeededTenant;

  beforeAll(async () => {
    await openTestDatabase();
    a = await seedTenant(newMarker("Alfa"));
  }, 120_000);
  afterAll(closeDatabase);

  it("every object in every input schema is strict (unknown fields are refused)", () => {
    const loose = procedures.flatMap((p) => p.inputs.flatMap((s) => looseObjects(s).map((where) => `${p.path}: ${where}`)));
    expect(loose, "add .strict() to these input objects").toEqual([]);
  });

  for (const proc of procedures) {
    it(`${proc.path} refuses malformed input with a 4xx`, { timeout: 120_000 }, async () => {
      const before = await tenantSnapshot(a.restaurantId);
      const caller = createCaller(createInnerContext({ session: await sessionOf(a.userIds[0]!), requestedRestaurantId: a.restaurantId }));
      const { problems, sent } = await malformedInputProblems(proc, caller, a.ids.departments?.[0] ?? a.restaurantId);
      expect(problems).toEqual([]);
      expect(sent).toBeGreaterThan(0);
      expect(await tenantSnapshot(a.restaurantId), `${proc.path} wrote to the database on bad input`).toBe(before);
    });
  }

  it("the harness itself fails on a lax schema", async () => {
    const lax = createTRPCRouter({
      note: open()
        .input(
          z.object({
            text: z.string(),
            count: z.number(),
            cursor: z.number().int().positive().optional(),
            day: z.iso.date().optional(),
            nested: z.object({ id: z.uuid() }).strict(),
          }),
        )
        .mutation(() => "written"),
    });
    const [proc] = listProcedures(lax);
    const caller = createCallerFactory(lax)(createInnerContext());
    const { problems } = await malformedInputProblems(proc!, caller, a.restaurantId);
    expect(problems).toEqual(
      expect.arrayContaining([
        "text: the schema accepts huge string",
        "text: the schema accepts NUL byte",
        "count: the schema accepts negative",
        "cursor: the schema accepts 2^31",
        "day: the schema accepts year 0000",
        "(input): the schema accepts unknown field",
      ]),
    );
    expect(looseObjects(proc!.inputs[0])).toEqual(["(root)"]);
  });
});
