/**
 * A supplier's delivery calendar: on which days it delivers, until when (local time in the restaurant's timezone)
 * an order counts for the current day, how many days it needs, and the days it neither takes nor delivers orders.
 * Pure (no I/O, no database), so the UI can show the same date the server stores.
 */

import { wallClockParts } from "@/server/time-zone";

export interface DeliveryCalendar {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. Empty: the supplier delivers any day. */
  deliveryWeekdays: readonly number[];
  /** "HH:MM" in the restaurant's timezone; null: any time of the day counts for that day. */
  cutoffTime: string | null;
  /** Whole days between the day the order is taken and the earliest delivery. */
  leadDays: number;
  /** "YYYY-MM-DD": the supplier neither takes nor delivers orders on these days. */
  holidays: readonly string[];
}

export interface NextDelivery {
  /** The day the supplier takes the order ("YYYY-MM-DD", local). */
  orderDay: string;
  /** The cut-off of that day as an instant (null without a cut-off time). */
  cutoffAt: Date | null;
  deliveryDate: string;
}

const DAY_MS = 86_400_000;
/** A calendar with no valid day (every weekday a holiday for years) must not loop forever. */
const SEARCH_DAYS = 366;

function parts(instant: Date, timeZone: string) {
  const p = wallClockParts(instant, timeZone);
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute), seconds: Number(p.second) };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date (1 = Monday). */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function minutesOf(time: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new RangeError(`Not a time: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The instant a local wall-clock time happens on a date in a timezone. The offset is read at the guess and read
 * again at the corrected instant, so days when the clocks change get the offset in force at that time. A time the
 * clocks skip (02:30 on a spring-forward night) resolves to the same wall time after the jump.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutesOf(time) * 60_000;
  const offsetAt = (instant: number) => {
    const p = parts(new Date(instant), timeZone);
    return Date.parse(`${p.date}T00:00:00Z`) + p.minutes * 60_000 + p.seconds * 1000 - instant;
  };
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant);
}

/** Today's local date in the timezone, and whether the cut-off of today has passed. */
function orderingDay(now: Date, timeZone: string, cutoffTime: string | null): string {
  const local = parts(now, timeZone);
  if (cutoffTime === null) return local.date;
  return now.getTime() >= zonedInstant(local.date, cutoffTime, timeZone).getTime() ? addDays(local.date, 1) : local.date;
}

/**
 * The delivery of an order placed at `now`: the order is taken today, or on the next day after today's cut-off,
 * skipping holidays; it arrives after the lead time, on the first delivery weekday that is not a holiday.
 * Null when no such day exists within a year.
 */
export function nextDelivery(calendar: DeliveryCalendar, now: Date, timeZone: string): NextDelivery | null {
  const holidays = new Set(calendar.holidays);
  let orderDay = orderingDay(now, timeZone, calendar.cutoffTime);
  for (let i = 0; holidays.has(orderDay); i++) {
    if (i > SEARCH_DAYS) return null;
    orderDay = addDays(orderDay, 1);
  }
  const weekdays = new Set(calendar.deliveryWeekdays);
  let date = addDays(orderDay, Math.max(0, calendar.leadDays));
  for (let i = 0; holidays.has(date) || (weekdays.size > 0 && !weekdays.has(isoWeekday(date))); i++) {
    if (i > SEARCH_DAYS) return null;
    date = addDays(date, 1);
  }
  return { orderDay, cutoffAt: calendar.cutoffTime === null ? null : zonedInstant(orderDay, calendar.cutoffTime, timeZone), deliveryDate: date };
}

/** The delivery after a given one (for pars: stock must last until then). */
export function deliveryAfter(calendar: DeliveryCalendar, deliveryDate: string): string | null {
  const holidays = new Set(calendar.holidays);
  const weekdays = new Set(calendar.deliveryWeekdays);
  let date = addDays(deliveryDate, 1);
  for (let i = 0; holidays.has(date) || (weekdays.size > 0 && !weekdays.has(isoWeekday(date))); i++) {
    if (i > SEARCH_DAYS) return null;
    date = addDays(date, 1);
  }
  return date;
}
