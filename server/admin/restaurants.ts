import { asc, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { text } from "@/server/validation";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { restaurants } from "@/db/schema";
import { DISPATCH_SLOTS, DISPATCH_TICK_MS, SYNC_PERIOD_MS } from "@/server/jobs/dispatcher";

/** A time as a raw-SQL parameter (postgres.js takes a Date only where drizzle knows the column). */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const DAY_MS = 86_400_000;
export const ADMIN_PAGE_SIZE = 50;

export const RESTAURANT_FILTERS = ["all", "failing", "stale", "needs_reconnect", "paused", "disabled"] as const;
export const RESTAURANT_SORTS = ["name", "last_sync", "errors"] as const;
export type RestaurantFilter = (typeof RESTAURANT_FILTERS)[number];
export type RestaurantSort = (typeof RESTAURANT_SORTS)[number];

/** The keyset cursor: the sort value and id of the last row of the previous page, opaque to the browser. */
const cursorSchema = z.tuple([z.union([z.string().max(300), z.number()]), z.uuid()]);
export const encodeCursor = (value: string | number, id: string) => Buffer.from(JSON.stringify([value, id])).toString("base64url");
export function decodeCursor(cursor: string): [string | number, string] | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const restaurantSearchSchema = z
  .object({
    search: text(100).optional(),
    filter: z.enum(RESTAURANT_FILTERS).default("all"),
    sort: z.enum(RESTAURANT_SORTS).default("name"),
    cursor: text(600).nullish(),
    limit: z.number().int().min(1).max(100).default(ADMIN_PAGE_SIZE),
    // Sent by the client's infinite query; pages only go forward.
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict();
export type RestaurantSearch = z.input<typeof restaurantSearchSchema>;

interface Row {
  id: string;
  name: string;
  account_number: string | null;
  status: "active" | "paused";
  paused_reason: string | null;
  disabled_at: Date | string | null;
  disabled_reason: string | null;
  connection_status: string | null;
  connection_checked_at: Date | string | null;
  rank: number;
  last_sync_status: "running" | "succeeded" | "failed" | null;
  last_sync_trigger: string | null;
  last_sync_started_at: Date | string | null;
  last_sync_finished_at: Date | string | null;
  last_sync_error: string | null;
  last_success_at: Date | string | null;
  errors_24h: number;
  active_users: number;
  last_order_at: Date | string | null;
  sort_value: string | number;
}

const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/** When the dispatcher starts this restaurant's next scheduled sync: its rank owns one slot of every period. */
export function nextScheduledSync(rank: number, now: Date): Date {
  const slot = rank % DISPATCH_SLOTS;
  const periodStart = Math.floor(now.getTime() / SYNC_PERIOD_MS) * SYNC_PERIOD_MS;
  let at = periodStart + slot * DISPATCH_TICK_MS;
  if (at < now.getTime()) at += SYNC_PERIOD_MS;
  return new Date(at);
}

/**
 * The admin console's restaurant list: search (name, Poster account), a filter, a sort and keyset paging, all in
 * one statement on the server (platform scope). Per restaurant: last sync (status, duration), last success, errors
 * in 24 h (failed syncs, failed/dead jobs, rejected or failed webhooks), active users, last order, and when the
 * next scheduled sync runs. Each figure is an index probe of its own table (restaurant_id first), so a page costs
 * the same whatever the history; measured on 1,200 restaurants in tests/integration/admin-restaurants.test.ts.
 */
export async function searchRestaurants(tx: Tx, raw: RestaurantSearch, now = new Date()) {
  const input = restaurantSearchSchema.parse(raw);
  const rows = rowsOf<Row>(await tx.execute(restaurantSearchQuery(input, now)));
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const since = new Date(now.getTime() - DAY_MS);
  return {
    items: page.map((r) => toItem(r, since, now)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(typeof last.sort_value === "string" ? last.sort_value : Number(last.sort_value), last.id) : null,
  };
}

/** The one statement behind searchRestaurants (a page and one row more, to know whether another page follows). */
export function restaurantSearchQuery(input: z.output<typeof restaurantSearchSchema>, now: Date): SQL {
  const since = new Date(now.getTime() - DAY_MS);
  const where: SQL[] = [];
  if (input.search) {
    const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(r.name ilike ${like} or r.account_number ilike ${like})`);
  }
  if (input.filter === "failing") where.push(sql`(r.last_sync_status = 'failed' or r.errors_24h > 0)`);
  if (input.filter === "stale") where.push(sql`r.disabled_at is null and (r.last_success_at is null or r.last_success_at < ${ts(since)})`);
  if (input.filter === "needs_reconnect") where.push(sql`r.connection_status in ('needs_reconnect', 'disconnected')`);
  if (input.filter === "paused") where.push(sql`r.status = 'paused'`);
  if (input.filter === "disabled") where.push(sql`r.disabled_at is not null`);

  // Sort value: never null, so (value, id) orders every row and the keyset comparison is one tuple test.
  const sortValue =
    input.sort === "name"
      ? sql`lower(r.name)`
      : input.sort === "errors"
        ? sql`r.errors_24h`
        : sql`coalesce(extract(epoch from r.last_sync_started_at), 0)::float8`;
  // name ascending; errors and last sync: the most (most recent) first.
  const descending = input.sort !== "name";
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  if (cursor) {
    const [raw, id] = cursor;
    const value = input.sort === "name" ? sql`${String(raw)}::text` : input.sort === "errors" ? sql`${Number(raw)}::int` : sql`${Number(raw)}::float8`;
    where.push(descending ? sql`(${sortValue}, r.id) < (${value}, ${id}::uuid)` : sql`(${sortValue}, r.id) > (${value}, ${id}::uuid)`);
  }
  const direction = descending ? sql`desc` : sql`asc`;

  return sql`
    with r as (
      select
        x.id, x.name, x.poster_account_number as account_number, x.status, x.paused_reason, x.disabled_at, x.disabled_reason,
        pc.status::text as connection_status, pc.last_checked_at as connection_checked_at,
        (row_number() over (order by x.created_at, x.id) - 1)::int as rank,
        ls.status::text as last_sync_status, ls.trigger::text as last_sync_trigger, ls.started_at as last_sync_started_at,
        ls.finished_at as last_sync_finished_at, ls.error as last_sync_error,
        ok.started_at as last_success_at,
        (
          (select count(*) from sync_runs s where s.restaurant_id = x.id and s.started_at >= ${ts(since)} and s.status = 'failed')
          + (select count(*) from jobs j where j.restaurant_id = x.id and j.created_at >= ${ts(since)} and j.status in ('failed', 'dead'))
          + (select count(*) from webhook_events w where w.restaurant_id = x.id and w.received_at >= ${ts(since)} and (not w.verified or w.error is not null))
        )::int as errors_24h,
        (select count(*) from memberships m where m.restaurant_id = x.id and m.is_active)::int as active_users,
        (select max(o.created_at) from purchase_orders o where o.restaurant_id = x.id) as last_order_at
      from restaurants x
      left join poster_connections pc on pc.restaurant_id = x.id
      left join lateral (
        select s.status, s.trigger, s.started_at, s.finished_at, s.error from sync_runs s
        where s.restaurant_id = x.id order by s.started_at desc limit 1
      ) ls on true
      left join lateral (
        select s.started_at from sync_runs s
        where s.restaurant_id = x.id and s.status = 'succeeded' order by s.started_at desc limit 1
      ) ok on true
    )
    select r.*, ${sortValue} as sort_value from r
    ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by ${sortValue} ${direction}, r.id ${direction}
    limit ${input.limit + 1}`;
}

function toItem(r: Row, since: Date, now: Date) {
  const started = toDate(r.last_sync_started_at);
  const finished = toDate(r.last_sync_finished_at);
  const connected = r.connection_status === "active" || r.connection_status === "expiring";
  return {
    id: r.id,
    name: r.name,
    accountNumber: r.account_number,
    status: r.status,
    pausedReason: r.paused_reason,
    disabledAt: toDate(r.disabled_at),
    disabledReason: r.disabled_reason,
    connectionStatus: r.connection_status as "active" | "expiring" | "needs_reconnect" | "disconnected" | null,
    connectionCheckedAt: toDate(r.connection_checked_at),
    lastSync: started
      ? { status: r.last_sync_status!, trigger: r.last_sync_trigger, startedAt: started, finishedAt: finished, durationMs: finished ? finished.getTime() - started.getTime() : null, error: r.last_sync_error }
      : null,
    lastSuccessAt: toDate(r.last_success_at),
    stale: !r.disabled_at && (!r.last_success_at || toDate(r.last_success_at)!.getTime() < since.getTime()),
    nextSyncAt: r.status === "active" && !r.disabled_at && connected ? nextScheduledSync(r.rank, now) : null,
    errors24h: r.errors_24h,
    activeUsers: r.active_users,
    lastOrderAt: toDate(r.last_order_at),
  };
}

/** Every restaurant's id and name, by name: the flag rules' restaurant picker. */
export function restaurantNames(tx: Tx) {
  return tx.select({ id: restaurants.id, name: restaurants.name }).from(restaurants).orderBy(asc(restaurants.name), asc(restaurants.id));
}
