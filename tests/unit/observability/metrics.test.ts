import { describe, expect, it } from "vitest";
import { bucketOf, bucketValue, MetricsRecorder, quantile, type RollupRow } from "@/server/observability/metrics";

describe("metrics rollup (in memory)", () => {
  it("estimates percentiles within 5 % from the log-scale histogram", () => {
    const buckets = new Map<number, number>();
    const values = Array.from({ length: 10_000 }, (_, i) => 1 + i * 0.37); // 1 ms … 3,700 ms, uniform
    for (const v of values) buckets.set(bucketOf(v), (buckets.get(bucketOf(v)) ?? 0) + 1);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(quantile(buckets, values.length, q) - exact) / exact).toBeLessThan(0.05);
    }
    expect(bucketValue(bucketOf(250))).toBeGreaterThan(240);
    expect(bucketValue(bucketOf(250))).toBeLessThan(260);
  });

  it("writes one batch per ended minute with counts, errors and ordered percentiles", async () => {
    let now = Date.UTC(2026, 11, 2, 18, 0, 10);
    const batches: RollupRow[][] = [];
    const recorder = new MetricsRecorder(async (rows) => void batches.push(rows), () => now);
    for (let i = 1; i <= 100; i++) recorder.record("procedure", "orders.list", i, i % 10 === 0 ? "error" : i % 10 === 1 ? "refused" : "ok");
    recorder.record("poster", "storage.getStorages", 120, "ok");
    await recorder.flush(); // the minute has not ended: nothing written yet
    expect(batches).toHaveLength(0);

    now += 60_000;
    recorder.record("procedure", "orders.list", 5, "ok");
    await recorder.flush();
    expect(batches).toHaveLength(1);
    const rows = batches[0]!;
    expect(rows).toHaveLength(2);
    const orders = rows.find((r) => r.name === "orders.list")!;
    expect(orders).toMatchObject({ kind: "procedure", count: 100, errors: 10, maxMs: 100, minute: new Date(Date.UTC(2026, 11, 2, 18, 0)) });
    expect(orders.sumMs).toBe(5050);
    expect(Math.abs(orders.p50Ms - 50)).toBeLessThan(3);
    expect(Math.abs(orders.p95Ms - 95)).toBeLessThan(5);
    expect(orders.p99Ms).toBeGreaterThanOrEqual(orders.p95Ms);
    expect(orders.p99Ms).toBeLessThanOrEqual(100);
    expect(Object.values(orders.buckets).reduce((a, b) => a + b, 0)).toBe(100);

    await recorder.flush({ all: true });
    expect(batches).toHaveLength(2);
    expect(batches[1]).toMatchObject([{ name: "orders.list", count: 1, minute: new Date(Date.UTC(2026, 11, 2, 18, 1)) }]);
  });

  it("keeps the minutes a failed write held and writes them with the next flush", async () => {
    let now = Date.UTC(2026, 11, 2, 18, 0, 0);
    let failing = true;
    const written: RollupRow[] = [];
    const recorder = new MetricsRecorder(async (rows) => {
      if (failing) throw new Error("database down");
      written.push(...rows);
    }, () => now);
    recorder.record("job", "sync.full", 1_500, "ok");
    now += 60_000;
    recorder.record("job", "sync.full", 900, "error");
    now += 60_000;
    await recorder.flush();
    expect(written).toHaveLength(0);
    failing = false;
    await recorder.flush();
    expect(written.map((r) => [r.count, r.errors])).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});
