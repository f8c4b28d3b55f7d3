import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { incidents, users } from "@/db/schema";
import { afterCommit, withPlatform } from "@/db/scope";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail";
import { log } from "@/server/observability/log";
import { GOALS } from "./overview";

/** A time as a raw-SQL parameter (postgres.js takes a Date only where drizzle knows the column). */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const HOUR_MS = 3_600_000;
/** The Poster error rate must stay over its goal this long (in three 5-minute windows) before it is an incident. */
const POSTER_WINDOW_MS = 15 * 60_000;
const POSTER_WINDOWS = 3;
/** Fewer Poster calls than this in the 15 minutes is too little to speak of a rate. */
const POSTER_MIN_CALLS = 20;

export const ALERT_RULES = ["stale_sync", "dead_jobs", "supply_failing", "poster_error_rate"] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface Breach {
  rule: AlertRule;
  subject: string;
  details: Record<string, string | number | null>;
}

/**
 * What breaches a goal right now:
 * - stale_sync: a restaurant that should sync (active, enabled, connected) without a successful sync for 24 h;
 * - dead_jobs: jobs that died in the last 24 h and were not replayed;
 * - supply_failing: a supply posting not in Poster an hour after its first failure;
 * - poster_error_rate: Poster calls failing above the goal (0.1 %) in each 5 minutes of the last 15.
 */
export async function currentBreaches(tx: Tx, now: Date): Promise<Breach[]> {
  const breaches: Breach[] = [];
  const dayAgo = new Date(now.getTime() - 24 * HOUR_MS);
  const stale = rowsOf<{ id: string; name: string; last: Date | string | null }>(
    await tx.execute(sql`
      select r.id, r.name, (select max(s.started_at) from sync_runs s where s.restaurant_id = r.id and s.status = 'succeeded') as last
      from restaurants r join poster_connections pc on pc.restaurant_id = r.id
      where r.status = 'active' and r.disabled_at is null and pc.status in ('active', 'expiring') and r.created_at < ${ts(dayAgo)}
        and not exists (select 1 from sync_runs s where s.restaurant_id = r.id and s.status = 'succeeded' and s.started_at >= ${ts(dayAgo)})`),
  );
  for (const r of stale) breaches.push({ rule: "stale_sync", subject: r.id, details: { restaurantName: r.name, lastSuccessAt: r.last ? new Date(r.last).toISOString() : null } });

  const dead = rowsOf<{ n: number; kinds: string | null }>(
    await tx.execute(sql`
      select count(*)::int as n, string_agg(distinct j.kind, ', ') as kinds from jobs j
      where j.status = 'dead' and coalesce(j.finished_at, j.created_at) >= ${ts(dayAgo)}
        and not exists (select 1 from jobs r where r.dedup_key like 'replay:' || j.id::text || ':%')`),
  )[0];
  if (dead && Number(dead.n) > 0) breaches.push({ rule: "dead_jobs", subject: "platform", details: { count: Number(dead.n), kinds: dead.kinds } });

  const failing = rowsOf<{ id: string; restaurant_id: string; name: string; last_error: string | null; attempts: number }>(
    await tx.execute(sql`
      select p.id, p.restaurant_id, r.name, p.last_error, p.attempts from supply_postings p join restaurants r on r.id = p.restaurant_id
      where p.status in ('failed', 'pending', 'posting') and p.last_error is not null and p.created_at < ${ts(new Date(now.getTime() - HOUR_MS))}`),
  );
  for (const p of failing) {
    breaches.push({ rule: "supply_failing", subject: p.id, details: { restaurantId: p.restaurant_id, restaurantName: p.name, attempts: Number(p.attempts), error: (p.last_error ?? "").slice(0, 300) } });
  }

  const windows = rowsOf<{ w: number; count: number; errors: number }>(
    await tx.execute(sql`
      select floor(extract(epoch from (${ts(now)} - minute)) / 300)::int as w, sum(count)::int as count, sum(errors)::int as errors
      from metric_rollups where kind = 'poster' and minute >= ${ts(new Date(now.getTime() - POSTER_WINDOW_MS))} and minute <= ${ts(now)}
      group by 1`),
  );
  const calls = windows.reduce((a, w) => a + Number(w.count), 0);
  const errors = windows.reduce((a, w) => a + Number(w.errors), 0);
  const allOver = windows.length >= POSTER_WINDOWS && windows.every((w) => Number(w.count) > 0 && Number(w.errors) / Number(w.count) > GOALS.posterErrorRate);
  if (calls >= POSTER_MIN_CALLS && allOver) breaches.push({ rule: "poster_error_rate", subject: "platform", details: { calls, errors, rate: Math.round((errors / calls) * 10_000) / 100 } });
  return breaches;
}

type Locale = "ru" | "en";
const RULE_TEXT: Record<Locale, Record<AlertRule, (d: Breach["details"]) => string>> = {
  en: {
    stale_sync: (d) => `«${d.restaurantName}» has not synced with Poster for 24 hours (last success: ${d.lastSuccessAt ?? "never"})`,
    dead_jobs: (d) => `${d.count} background job(s) died in the last 24 hours (${d.kinds})`,
    supply_failing: (d) => `A supply of «${d.restaurantName}» has failed to reach Poster for over an hour (${d.attempts} attempts): ${d.error}`,
    poster_error_rate: (d) => `Poster calls are failing: ${d.rate} % of ${d.calls} calls in the last 15 minutes (goal under 0.1 %)`,
  },
  ru: {
    stale_sync: (d) => `«${d.restaurantName}» не синхронизировался с Poster 24 часа (последняя успешная: ${d.lastSuccessAt ?? "никогда"})`,
    dead_jobs: (d) => `За последние 24 часа остановились фоновые задачи: ${d.count} (${d.kinds})`,
    supply_failing: (d) => `Поставка ресторана «${d.restaurantName}» больше часа не проводится в Poster (попыток: ${d.attempts}): ${d.error}`,
    poster_error_rate: (d) => `Ошибки Poster: ${d.rate} % из ${d.calls} вызовов за последние 15 минут (цель — меньше 0,1 %)`,
  },
};
const SUBJECT: Record<Locale, { opened: string; resolved: string; link: string }> = {
  en: { opened: "Alert", resolved: "Recovered", link: "Admin console" },
  ru: { opened: "Тревога", resolved: "Восстановлено", link: "Консоль администратора" },
};

/** The e-mail of one incident's opening or recovery, in the admin's language. */
export function alertMail(locale: Locale, event: "opened" | "resolved", breach: Pick<Breach, "rule" | "details">) {
  const what = RULE_TEXT[locale][breach.rule](breach.details);
  const s = SUBJECT[locale];
  return { subject: `[Restaurant Checklist] ${s[event]}: ${what}`.slice(0, 300), text: `${s[event]}: ${what}\n\n${s.link}: ${env().APP_URL}/admin\n` };
}

async function platformAdmins(tx: Tx) {
  return tx.select({ email: users.email, locale: users.locale }).from(users).where(and(eq(users.isPlatformAdmin, true), eq(users.isActive, true)));
}

/**
 * The alerts.check job (every 5 minutes): opens an incident for each new breach and closes those that recovered;
 * platform admins get one e-mail when an incident opens and one when it recovers, never one per check. The open
 * incident's unique key (rule, subject) makes two concurrent checks open it once.
 */
export async function evaluateAlerts(now = new Date()): Promise<{ opened: number; resolved: number; open: number }> {
  return withPlatform("alerts", async (tx) => {
    const breaches = await currentBreaches(tx, now);
    const open = await tx.select().from(incidents).where(isNull(incidents.resolvedAt));
    const key = (rule: string, subject: string) => `${rule}\u0000${subject}`;
    const openByKey = new Map(open.map((i) => [key(i.rule, i.subject), i]));
    const breachKeys = new Set(breaches.map((b) => key(b.rule, b.subject)));
    const mails: { event: "opened" | "resolved"; breach: Pick<Breach, "rule" | "details"> }[] = [];

    for (const b of breaches) {
      const existing = openByKey.get(key(b.rule, b.subject));
      if (existing) {
        await tx.update(incidents).set({ lastSeenAt: now, details: b.details }).where(eq(incidents.id, existing.id));
        continue;
      }
      const [inserted] = await tx
        .insert(incidents)
        .values({ rule: b.rule, subject: b.subject, details: b.details, openedAt: now, lastSeenAt: now })
        .onConflictDoNothing()
        .returning({ id: incidents.id });
      if (inserted) mails.push({ event: "opened", breach: b });
    }
    let resolved = 0;
    for (const incident of open) {
      if (breachKeys.has(key(incident.rule, incident.subject))) continue;
      await tx.update(incidents).set({ resolvedAt: now }).where(eq(incidents.id, incident.id));
      resolved++;
      mails.push({ event: "resolved", breach: { rule: incident.rule as AlertRule, details: (incident.details ?? {}) as Breach["details"] } });
    }
    if (mails.length > 0) {
      const admins = await platformAdmins(tx);
      // After the commit: a mail is sent only for an incident that was really opened or closed.
      afterCommit(tx, async () => {
        for (const m of mails) {
          for (const admin of admins) {
            const mail = alertMail(admin.locale === "en" ? "en" : "ru", m.event, m.breach);
            await sendMail({ to: admin.email, ...mail }).catch((error: unknown) => log.error("alert mail not sent", { rule: m.breach.rule, error }));
          }
        }
      });
    }
    return { opened: mails.filter((m) => m.event === "opened").length, resolved, open: open.length - resolved + mails.filter((m) => m.event === "opened").length };
  });
}
