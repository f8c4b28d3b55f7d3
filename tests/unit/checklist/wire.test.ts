import { describe, expect, it } from "vitest";
import { decodeChecklist, withDraftQuantity, type ChecklistWire } from "@/server/checklist/wire";
import { plainJson, transformer } from "@/server/trpc/transformer";

const wire: ChecklistWire = {
  department: { id: "d1", name: "Kitchen" },
  draft: { id: "r1", updatedAt: "2026-12-01T08:00:00.000Z", lineCount: 1 },
  stockSyncedAt: "2026-12-01T05:00:00.000Z",
  categories: [["c1", "Veg"]],
  suppliers: [["s1", "Veg Ltd"]],
  rows: [
    ["p1", "Potatoes", "kg", 0, 0, "2.5", "10", "3.75", "3.75", "2"],
    ["p2", "Eggs", "p", -1, -1, "-4", "30", "0", "30", null],
    ["p3", "Milk", "l", 0, -1, null, null, "0", null, null],
  ],
};

describe("checklist wire", () => {
  it("decodes rows into products with their category, supplier, sync time and explanation", () => {
    const [potatoes, eggs, milk] = decodeChecklist(wire).products;
    expect(potatoes).toEqual({
      productId: "p1",
      name: "Potatoes",
      unit: "kg",
      category: { id: "c1", name: "Veg" },
      supplier: { id: "s1", name: "Veg Ltd" },
      stock: "2.5",
      stockSyncedAt: new Date("2026-12-01T05:00:00.000Z"),
      parLevel: "10",
      onOrder: "3.75",
      suggested: "3.75",
      explanation: { par: "10", stock: "2.5", stockUsed: "2.5", onOrder: "3.75", suggested: "3.75", parMissing: false, stockMissing: false, stockNegative: false },
      draftQuantity: "2",
    });
    expect(eggs!.category).toBeNull();
    expect(eggs!.explanation).toMatchObject({ stockUsed: "0", stockNegative: true, stockMissing: false });
    expect(milk!.stockSyncedAt).toBeNull();
    expect(milk!.explanation).toMatchObject({ stock: null, stockUsed: "0", stockMissing: true, parMissing: true, suggested: null });
    expect(decodeChecklist(wire).draft).toEqual({ id: "r1", updatedAt: new Date("2026-12-01T08:00:00.000Z"), lineCount: 1 });
  });

  it("replaces one product's draft quantity without touching the others or the original", () => {
    const next = withDraftQuantity(wire, "p2", "5");
    expect(next.rows.map((r) => r[9])).toEqual(["2", "5", null]);
    expect(wire.rows[1]![9]).toBeNull();
    expect(next.rows[0]).toBe(wire.rows[0]);
  });
});

describe("tRPC transformer", () => {
  it("sends an answer marked plainJson as it is (no superjson walk) and reads it back unchanged", () => {
    const value = plainJson({ rows: [["a", 1, null]], nested: { ok: true } });
    const payload = transformer.serialize(value);
    expect(payload).toEqual({ json: value });
    expect(payload.json).toBe(value);
    expect(transformer.deserialize(JSON.parse(JSON.stringify(payload)))).toEqual(value);
  });

  it("keeps superjson for everything else: Dates, undefined and Maps survive the round trip", () => {
    const value = { at: new Date("2026-12-01T00:00:00Z"), missing: undefined, map: new Map([["k", 1]]) };
    const payload = transformer.serialize(value);
    expect(payload.meta).toBeTruthy();
    expect(transformer.deserialize(JSON.parse(JSON.stringify(payload)))).toEqual(value);
    expect(transformer.deserialize(JSON.parse(JSON.stringify(transformer.serialize(undefined))))).toBeUndefined();
  });
});
