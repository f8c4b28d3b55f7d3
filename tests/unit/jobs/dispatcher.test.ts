import { describe, expect, it } from "vitest";
import { DISPATCH_SLOTS, DISPATCH_TICK_MS, planDispatch, scheduledSyncKey, SYNC_PERIOD_MS, type DispatchCandidate } from "@/server/jobs/dispatcher";
import { lastFireTime, SCHEDULES } from "@/server/jobs/schedules";

const candidates = (n: number, ineligible = new Set<number>()): DispatchCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ restaurantId: `r-${String(i).padStart(3, "0")}`, accountNumber: String(100000 + i), eligible: !ineligible.has(i) }));

/** Drives the dispatcher with a fake clock, deduplicating like the jobs table does ("until-success" keys). */
function simulate(list: DispatchCandidate[], start: number, ticks: number, tickAt = (t: number) => t) {
  const enqueuedKeys = new Set<string>();
  const perTick: number[] = [];
  const perSlot = new Map<string, number>();
  const perRestaurantPeriod = new Map<string, number>();
  for (let i = 0; i < ticks; i++) {
    const now = new Date(tickAt(start + i * DISPATCH_TICK_MS));
    let fresh = 0;
    for (const p of planDispatch(list, now)) {
      const key = scheduledSyncKey(p.restaurantId, p.periodIndex);
      if (enqueuedKeys.has(key)) continue;
      enqueuedKeys.add(key);
      fresh++;
      perSlot.set(`${p.periodIndex}:${p.slot}`, (perSlot.get(`${p.periodIndex}:${p.slot}`) ?? 0) + 1);
      perRestaurantPeriod.set(key, (perRestaurantPeriod.get(key) ?? 0) + 1);
    }
    perTick.push(fresh);
  }
  return { perTick, perSlot, keys: enqueuedKeys, perRestaurantPeriod };
}

describe("sync dispatcher spreading", () => {
  const start = Date.UTC(2026, 0, 5, 0, 0, 0); // a period boundary (6 h divides a day)

  it("schedules the dispatcher every tick", () => {
    const dispatch = SCHEDULES.find((s) => s.kind === "sync.dispatch")!;
    const at = new Date(start + 37 * 60_000);
    expect(lastFireTime(dispatch, at).getTime()).toBe(start + 30 * 60_000);
    expect(DISPATCH_SLOTS).toBe(SYNC_PERIOD_MS / DISPATCH_TICK_MS);
  });

  it("starts 120 restaurants over 6 hours, at most ceil(120/slots) per slot, each exactly once per period", () => {
    const list = candidates(120);
    // The dispatcher was already running before `start`: its first tick here only catches up what it must.
    const { perTick, perSlot, keys } = simulate(list, start - DISPATCH_TICK_MS, 2 * DISPATCH_SLOTS + 1);
    const cap = Math.ceil(120 / DISPATCH_SLOTS);
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(cap);
    expect(Math.max(...perTick.slice(1))).toBeLessThanOrEqual(cap);
    expect(perTick.slice(1).reduce((a, b) => a + b, 0)).toBe(240);
    for (const period of [start / SYNC_PERIOD_MS, start / SYNC_PERIOD_MS + 1]) {
      for (const r of list) expect(keys.has(scheduledSyncKey(r.restaurantId, period))).toBe(true);
    }
    // Spread, not bunched: every tick of the period starts some restaurants.
    expect(perTick.slice(1).every((n) => n > 0)).toBe(true);
  });

  it("still covers every restaurant once when ticks arrive late or one is lost", () => {
    const list = candidates(120);
    // Each tick fires 4 minutes late, and the 7th tick never arrives.
    const lost = start + 6 * DISPATCH_TICK_MS;
    const { keys, perRestaurantPeriod } = simulate(list, start, DISPATCH_SLOTS, (t) => (t === lost ? t - DISPATCH_TICK_MS : t + 4 * 60_000));
    const period = start / SYNC_PERIOD_MS;
    for (const r of list) expect(keys.has(scheduledSyncKey(r.restaurantId, period))).toBe(true);
    expect([...perRestaurantPeriod.values()].every((n) => n === 1)).toBe(true);
  });

  it("skips paused or disconnected restaurants without moving the others' slots", () => {
    const all = planDispatch(candidates(48), new Date(start + 3 * DISPATCH_TICK_MS)).map((p) => p.restaurantId);
    const some = planDispatch(candidates(48, new Set([3, 27])), new Date(start + 3 * DISPATCH_TICK_MS)).map((p) => p.restaurantId);
    expect(all).toContain("r-003");
    expect(some).not.toContain("r-003");
    expect(some).not.toContain("r-027");
    expect(some).toEqual(all.filter((id) => id !== "r-003" && id !== "r-027"));
  });
});
