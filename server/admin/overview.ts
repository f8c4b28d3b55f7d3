import { and, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { incidents, jobs, metricRollups, posterConnections, restaurants, supplyPostings, webhookEvents } from "@/db/schema";
import { quantile } from "@/server/observability/metrics";

/** A time as a raw-SQL parameter (postgres.js takes a Date only where drizzle knows the column). */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const DAY_MS = 86_400_000;

/**
 * The service's success metrics and their goals (DESIGN.md "Operate 100+ restaurants"; latency goals from the
 * performance issue: the API mix p95 < 50 ms, the checklist p95 ≤ 30 ms). DB time is the tenant transaction.
 */
export const GOALS = {
  syncedShare: 1,
  posterErrorRate: 0.001,
  apiP95Ms: 50,
  checklistP95Ms: 30,
  dbP95Ms: 30,
} as const;

/** The procedures whose latency the overview follows (the checklist is the hot path). */
export const MAIN_PROCEDURES = ["checklist.department", "checklist.saveLine", "checklist.dashboard", "orders.list", "orders.get", "history.orders"] as const;

interface Series {
  day: string;
  count: number;
  errors: number;
  p95Ms: number | null;
}

/** Per day of the last 7: count, errors and the p95 merged exactly from the minutes' histograms. */
async function dailySeries(tx: Tx, kind: string, names: readonly string[] | null, since: Date): Promise<Series[]> {
  const nameFilter = names ? sql`and name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})` : sql``;
  const totals = rowsOf<{ day: string; count: number; errors: number }>(
    await tx.execute(sql`
      select to_char(date_trunc('day', minute at time zone 'UTC'), 'YYYY-MM-DD') as day, sum(count)::int as count, sum(errors)::int as errors
      from metric_rollups where kind = ${kind} and minute >= ${ts(since)} ${nameFilter}
      group by 1 order by 1`),
  );
  const buckets = rowsOf<{ day: string; bucket: number; n: number }>(
    await tx.execute(sql`
      select to_char(date_trunc('day', minute at time zone 'UTC'), 'YYYY-MM-DD') as day, b.key::int as bucket, sum(b.value::int)::int as n
      from metric_rollups, jsonb_each_text(buckets) b
      where kind = ${kind} and minute >= ${ts(since)} ${nameFilter}
      group by 1, 2`),
  );
  const byDay = new Map<string, [number, number][]>();
  for (const b of buckets) byDay.set(b.day, [...(byDay.get(b.day) ?? []), [Number(b.bucket), Number(b.n)]]);
  return totals.map((t) => ({ day: t.day, count: Number(t.count), errors: Number(t.errors), p95Ms: t.count > 0 ? round(quantile(byDay.get(t.day) ?? [], Number(t.count), 0.95)) : null }));
}

/** The last 24 hours of one kind (and names): count, errors, p95 from the merged histograms. */
async function lastDay(tx: Tx, kind: string, names: readonly string[] | null, since: Date) {
  const nameFilter = names ? sql`and name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})` : sql``;
  const buckets = rowsOf<{ bucket: number; n: number }>(
    await tx.execute(sql`
      select b.key::int as bucket, sum(b.value::int)::int as n from metric_rollups, jsonb_each_text(buckets) b
      where kind = ${kind} and minute >= ${ts(since)} ${nameFilter} group by 1`),
  );
  const [totals] = await tx
    .select({ count: sql<number>`coalesce(sum(${metricRollups.count}), 0)::int`, errors: sql<number>`coalesce(sum(${metricRollups.errors}), 0)::int` })
    .from(metricRollups)
    .where(and(eq(metricRollups.kind, kind), gte(metricRollups.minute, since), names ? inArray(metricRollups.name, [...names]) : undefined));
  const count = Number(totals?.count ?? 0);
  return { count, errors: Number(totals?.errors ?? 0), p95Ms: count > 0 ? round(quantile(buckets.map((b) => [Number(b.bucket), Number(b.n)]), count, 0.95)) : null };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The overview: each success metric with its goal and whether it is met, a 7-day series for the chart, and the
 * open incidents (server/admin/alerts.ts). Platform scope; a dozen grouped queries, none per restaurant.
 */
export async function adminOverview(tx: Tx, now = new Date()) {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);

  // Restaurants that should sync (active, enabled, connected) and those of them with a successful sync in 24 h.
  const syncRows = rowsOf<{ eligible: number; synced: number; day: string | null }>(
    await tx.execute(sql`
      select count(*)::int as eligible,
        count(*) filter (where exists (select 1 from sync_runs s where s.restaurant_id = r.id and s.status = 'succeeded' and s.started_at >= ${ts(dayAgo)}))::int as synced
      from restaurants r join poster_connections pc on pc.restaurant_id = r.id
      where r.status = 'active' and r.disabled_at is null and pc.status in ('active', 'expiring')`),
  );
  const eligible = Number(syncRows[0]?.eligible ?? 0);
  const synced = Number(syncRows[0]?.synced ?? 0);
  const syncDaily = rowsOf<{ day: string; synced: number }>(
    await tx.execute(sql`
      select to_char(date_trunc('day', started_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(distinct restaurant_id)::int as synced
      from sync_runs where status = 'succeeded' and started_at >= ${ts(weekAgo)} group by 1 order by 1`),
  );

  const [poster, api, checklist, db] = await Promise.all([
    lastDay(tx, "poster", null, dayAgo),
    lastDay(tx, "procedure", null, dayAgo),
    lastDay(tx, "procedure", ["checklist.department"], dayAgo),
    lastDay(tx, "db", ["tenant"], dayAgo),
  ]);
  const [posterDaily, apiDaily, dbDaily] = await Promise.all([
    dailySeries(tx, "poster", null, weekAgo),
    dailySeries(tx, "procedure", MAIN_PROCEDURES, weekAgo),
    dailySeries(tx, "db", ["tenant"], weekAgo),
  ]);

  const [jobCounts] = await tx
    .select({
      failed: sql<number>`count(*) filter (where ${jobs.status} = 'failed')::int`,
      dead: sql<number>`count(*) filter (where ${jobs.status} = 'dead')::int`,
    })
    .from(jobs)
    .where(and(inArray(jobs.status, ["failed", "dead"]), gte(jobs.createdAt, dayAgo)));
  const jobsDaily = rowsOf<{ day: string; failed: number }>(
    await tx.execute(sql`
      select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as failed
      from jobs where status in ('failed', 'dead') and created_at >= ${ts(weekAgo)} group by 1 order by 1`),
  );
  const [webhooks] = await tx
    .select({ rejected: sql<number>`count(*)::int` })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.verified, false), gte(webhookEvents.receivedAt, dayAgo)));
  const [postings] = await tx
    .select({
      waiting: sql<number>`count(*) filter (where ${supplyPostings.status} in ('pending', 'posting'))::int`,
      failed: sql<number>`count(*) filter (where ${supplyPostings.status} = 'failed')::int`,
    })
    .from(supplyPostings)
    .where(inArray(supplyPostings.status, ["pending", "posting", "failed"]));
  const [reconnect] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(posterConnections)
    .innerJoin(restaurants, eq(restaurants.id, posterConnections.restaurantId))
    .where(and(inArray(posterConnections.status, ["needs_reconnect", "disconnected"]), isNull(restaurants.disabledAt)));
  const open = await tx.select().from(incidents).where(isNull(incidents.resolvedAt)).orderBy(incidents.openedAt).limit(50);
  const [recentlyResolved] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(and(gte(incidents.resolvedAt, dayAgo), lt(incidents.resolvedAt, now)));

  const days = Array.from({ length: 7 }, (_, i) => new Date(now.getTime() - (6 - i) * DAY_MS).toISOString().slice(0, 10));
  const pick = <T extends { day: string }>(rows: T[], day: string) => rows.find((r) => r.day === day);
  const posterRate = poster.count > 0 ? poster.errors / poster.count : null;

  return {
    generatedAt: now,
    metrics: {
      synced: { value: eligible > 0 ? synced / eligible : null, synced, eligible, goal: GOALS.syncedShare, met: synced >= eligible },
      posterErrorRate: { value: posterRate, calls: poster.count, errors: poster.errors, goal: GOALS.posterErrorRate, met: posterRate === null || posterRate < GOALS.posterErrorRate },
      apiP95: { value: api.p95Ms, calls: api.count, goal: GOALS.apiP95Ms, met: api.p95Ms === null || api.p95Ms < GOALS.apiP95Ms },
      checklistP95: { value: checklist.p95Ms, calls: checklist.count, goal: GOALS.checklistP95Ms, met: checklist.p95Ms === null || checklist.p95Ms <= GOALS.checklistP95Ms },
      dbP95: { value: db.p95Ms, transactions: db.count, goal: GOALS.dbP95Ms, met: db.p95Ms === null || db.p95Ms <= GOALS.dbP95Ms },
      failedJobs: { failed: Number(jobCounts?.failed ?? 0), dead: Number(jobCounts?.dead ?? 0), goal: 0, met: Number(jobCounts?.dead ?? 0) === 0 },
      webhookRejections: { value: Number(webhooks?.rejected ?? 0) },
      supplyPostings: { waiting: Number(postings?.waiting ?? 0), failed: Number(postings?.failed ?? 0), goal: 0, met: Number(postings?.failed ?? 0) === 0 },
      needsReconnect: { value: Number(reconnect?.n ?? 0), goal: 0, met: Number(reconnect?.n ?? 0) === 0 },
    },
    // One point per day (UTC), oldest first; a day without data has nulls (the chart shows a gap, not a zero).
    daily: days.map((day) => {
      const p = pick(posterDaily, day);
      return {
        day,
        synced: pick(syncDaily, day)?.synced ?? 0,
        posterErrorRate: p && p.count > 0 ? p.errors / p.count : null,
        apiP95Ms: pick(apiDaily, day)?.p95Ms ?? null,
        dbP95Ms: pick(dbDaily, day)?.p95Ms ?? null,
        failedJobs: pick(jobsDaily, day)?.failed ?? 0,
      };
    }),
    incidents: { open, resolvedLastDay: Number(recentlyResolved?.n ?? 0) },
  };
}
