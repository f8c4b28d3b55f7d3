import { asc, eq } from "drizzle-orm";
import { posterConnections, restaurants } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { isFlagOn } from "@/server/flags";
import { enqueueJob } from "./queue";
import { DISPATCH_TICK_MINUTES } from "./schedules";

/** Every restaurant syncs once per period, in its own slot of it. */
export const SYNC_PERIOD_MS = 6 * 3_600_000;
export const DISPATCH_TICK_MS = DISPATCH_TICK_MINUTES * 60_000;
export const DISPATCH_SLOTS = SYNC_PERIOD_MS / DISPATCH_TICK_MS;
/** A tick also covers the slot before it, so one late or lost tick does not skip a restaurant's period. */
const LOOKBACK_TICKS = 2;

export interface DispatchCandidate {
  restaurantId: string;
  /** Active restaurant with a usable connection; others keep their slot but are skipped. */
  eligible: boolean;
  accountNumber: string | null;
}

export interface PlannedSync {
  restaurantId: string;
  accountNumber: string | null;
  periodIndex: number;
  slot: number;
}

/**
 * Which syncs a tick at `at` starts. Candidates come in a stable order (creation time): the restaurant at rank r
 * owns slot r mod DISPATCH_SLOTS, so the slots are filled round-robin and no slot holds more than
 * ceil(n / slots) restaurants (hashing ids into slots would not bound that). A new restaurant takes the next
 * rank without moving the others. Pure, for the fake-clock test.
 */
export function planDispatch(candidates: readonly DispatchCandidate[], at: Date): PlannedSync[] {
  const tickStart = Math.floor(at.getTime() / DISPATCH_TICK_MS) * DISPATCH_TICK_MS;
  const planned: PlannedSync[] = [];
  for (let k = LOOKBACK_TICKS - 1; k >= 0; k--) {
    const slotTime = tickStart - k * DISPATCH_TICK_MS;
    if (slotTime < 0) continue;
    const periodIndex = Math.floor(slotTime / SYNC_PERIOD_MS);
    const slot = Math.floor((slotTime % SYNC_PERIOD_MS) / DISPATCH_TICK_MS);
    candidates.forEach((c, rank) => {
      if (rank % DISPATCH_SLOTS === slot && c.eligible) planned.push({ restaurantId: c.restaurantId, accountNumber: c.accountNumber, periodIndex, slot });
    });
  }
  return planned;
}

/** The dedup key of a restaurant's scheduled sync in one period: it runs once however often it is planned. */
export const scheduledSyncKey = (restaurantId: string, periodIndex: number) => `sync:${restaurantId}:${periodIndex}`;

/**
 * Cross-tenant by nature (the scheduler's fan-out): lists every restaurant with its connection state. Paused and disabled restaurants, those the sync.scheduled flag
 * leaves out,
 * restaurants and connections that need reconnecting (or are disconnected, or missing) are skipped until an
 * owner reconnects, which sets the connection active again.
 */
export async function loadDispatchCandidates(): Promise<DispatchCandidate[]> {
  return withPlatform("scheduler", async (tx) => {
    const rows = await tx
      .select({ id: restaurants.id, status: restaurants.status, disabledAt: restaurants.disabledAt, connection: posterConnections.status, accountNumber: posterConnections.accountNumber })
      .from(restaurants)
      .leftJoin(posterConnections, eq(posterConnections.restaurantId, restaurants.id))
      .orderBy(asc(restaurants.createdAt), asc(restaurants.id));
    const out: DispatchCandidate[] = [];
    for (const r of rows) {
      const usable = r.status === "active" && !r.disabledAt && (r.connection === "active" || r.connection === "expiring");
      // The scheduled sync is behind the sync.scheduled flag (per restaurant); manual and webhook syncs are not.
      out.push({ restaurantId: r.id, accountNumber: r.accountNumber, eligible: usable && (await isFlagOn(tx, "sync.scheduled", r.id)) });
    }
    return out;
  });
}

/** The sync.dispatch job: enqueue the due restaurants' full syncs. Idempotent through the period keys. */
export async function dispatchSyncs(at: Date): Promise<{ planned: number; enqueued: number; joined: number; skipped: number }> {
  const candidates = await loadDispatchCandidates();
  const planned = planDispatch(candidates, at);
  let enqueued = 0;
  let joined = 0;
  for (const p of planned) {
    const r = await enqueueJob({
      kind: "sync.full",
      restaurantId: p.restaurantId,
      payload: { trigger: "schedule" },
      dedupKey: scheduledSyncKey(p.restaurantId, p.periodIndex),
      dedup: "until-success",
      ...(p.accountNumber ? { flowKey: p.accountNumber } : {}),
      maxAttempts: 3,
    });
    if (r.joined) joined++;
    else enqueued++;
  }
  return { planned: planned.length, enqueued, joined, skipped: candidates.filter((c) => !c.eligible).length };
}
