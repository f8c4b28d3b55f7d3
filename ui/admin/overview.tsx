"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";

type Tone = "ok" | "bad" | "none";
const TONE: Record<Tone, string> = { ok: "border-emerald-200 bg-emerald-50", bad: "border-red-300 bg-red-50", none: "border-slate-200 bg-white" };

/** "Is everyone fine?": each success metric against its goal, a 7-day chart, and the open incidents. */
export function AdminOverview() {
  const t = useTranslations("admin.overview");
  const tAlerts = useTranslations("admin.alerts");
  const format = useFormatter();
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.admin.overview.queryOptions(), refetchInterval: 60_000 });
  if (overview.isPending) return <div className="h-48 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (overview.isError) return <LoadError title={t("loadError")} error={overview.error} onRetry={() => void overview.refetch()} />;
  const { metrics: m, daily, incidents } = overview.data;
  const pct = (v: number | null, digits = 1) => (v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: digits }));
  const ms = (v: number | null) => (v === null ? "—" : t("ms", { value: format.number(v, { maximumFractionDigits: 1 }) }));
  const tone = (met: boolean, hasData: boolean): Tone => (!hasData ? "none" : met ? "ok" : "bad");
  const cards: { key: string; title: string; value: string; goal: string; tone: Tone }[] = [
    { key: "synced", title: t("synced"), value: t("syncedValue", { synced: m.synced.synced, eligible: m.synced.eligible }), goal: t("goalAll"), tone: tone(m.synced.met, m.synced.eligible > 0) },
    { key: "poster", title: t("posterErrorRate"), value: `${pct(m.posterErrorRate.value, 2)} · ${t("calls", { count: m.posterErrorRate.calls })}`, goal: t("goalBelow", { value: pct(m.posterErrorRate.goal) }), tone: tone(m.posterErrorRate.met, m.posterErrorRate.calls > 0) },
    { key: "api", title: t("apiP95"), value: ms(m.apiP95.value), goal: t("goalBelow", { value: ms(m.apiP95.goal) }), tone: tone(m.apiP95.met, m.apiP95.value !== null) },
    { key: "checklist", title: t("checklistP95"), value: ms(m.checklistP95.value), goal: t("goalAtMost", { value: ms(m.checklistP95.goal) }), tone: tone(m.checklistP95.met, m.checklistP95.value !== null) },
    { key: "db", title: t("dbP95"), value: ms(m.dbP95.value), goal: t("goalAtMost", { value: ms(m.dbP95.goal) }), tone: tone(m.dbP95.met, m.dbP95.value !== null) },
    { key: "jobs", title: t("failedJobs"), value: t("failedJobsValue", { failed: m.failedJobs.failed, dead: m.failedJobs.dead }), goal: t("goalNoDead"), tone: tone(m.failedJobs.met, true) },
    { key: "webhooks", title: t("webhookRejections"), value: String(m.webhookRejections.value), goal: t("last24h"), tone: "none" },
    { key: "postings", title: t("postings"), value: t("postingsValue", { waiting: m.supplyPostings.waiting, failed: m.supplyPostings.failed }), goal: t("goalNoFailed"), tone: tone(m.supplyPostings.met, true) },
    { key: "reconnect", title: t("needsReconnect"), value: String(m.needsReconnect.value), goal: t("goalNone"), tone: tone(m.needsReconnect.met, true) },
  ];
  const chartData = daily.map((d) => ({
    day: format.dateTime(new Date(`${d.day}T12:00:00Z`), { weekday: "short", day: "numeric" }),
    synced: d.synced,
    failedJobs: d.failedJobs,
    apiP95Ms: d.apiP95Ms,
    posterErrorPct: d.posterErrorRate === null ? null : Math.round(d.posterErrorRate * 10_000) / 100,
  }));
  return (
    <section aria-labelledby="admin-overview-title" className="flex flex-col gap-3">
      <h1 id="admin-overview-title" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <section aria-label={tAlerts("title")} data-testid="open-incidents" className={`rounded-2xl border p-4 ${incidents.open.length ? "border-red-300 bg-red-50" : "border-emerald-200 bg-emerald-50"}`}>
        <h2 className="font-semibold">{tAlerts("title")}</h2>
        {incidents.open.length === 0 ? (
          <p className="text-sm text-emerald-900">{tAlerts("none", { resolved: incidents.resolvedLastDay })}</p>
        ) : (
          <ul className="mt-1 flex flex-col gap-1 text-sm text-red-900" role="list">
            {incidents.open.map((i) => (
              <li key={i.id}>
                <span className="font-medium">{tAlerts(`rule.${i.rule as "stale_sync"}`, incidentValues(i.details))}</span> · {tAlerts("since", { when: format.relativeTime(new Date(i.openedAt)) })}
              </li>
            ))}
          </ul>
        )}
      </section>
      <ul className="grid grid-cols-1 gap-2 sm:grid-cols-3" aria-label={t("metrics")}>
        {cards.map((c) => (
          <li key={c.key} data-testid={`metric-${c.key}`} data-met={c.tone} className={`rounded-2xl border p-3 ${TONE[c.tone]}`}>
            <p className="text-sm text-slate-600">{c.title}</p>
            <p className="text-lg font-semibold tabular-nums">{c.value}</p>
            <p className="text-xs text-slate-600">{c.goal}</p>
          </li>
        ))}
      </ul>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <figure className="rounded-2xl bg-white p-3 shadow-sm">
          <figcaption className="mb-1 text-sm font-medium">{t("chartSynced")}</figcaption>
          <div className="h-40">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={chartData} margin={{ top: 4, right: 4, bottom: 0, left: -20 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} />
                <Tooltip />
                <Bar dataKey="synced" name={t("seriesSynced")} fill="#059669" />
                <Bar dataKey="failedJobs" name={t("seriesFailedJobs")} fill="#dc2626" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure className="rounded-2xl bg-white p-3 shadow-sm">
          <figcaption className="mb-1 text-sm font-medium">{t("chartLatency")}</figcaption>
          <div className="h-40">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={chartData} margin={{ top: 4, right: 4, bottom: 0, left: -20 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" fontSize={11} />
                <YAxis yAxisId="ms" fontSize={11} />
                <YAxis yAxisId="pct" orientation="right" fontSize={11} />
                <Tooltip />
                <Line yAxisId="ms" dataKey="apiP95Ms" name={t("seriesApiP95")} stroke="#0f172a" connectNulls={false} dot />
                <Line yAxisId="pct" dataKey="posterErrorPct" name={t("seriesPosterErrors")} stroke="#dc2626" connectNulls={false} dot />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
    </section>
  );
}

/** An incident's details as message values (strings and numbers only). */
function incidentValues(details: Record<string, unknown> | null): Record<string, string | number> {
  return Object.fromEntries(Object.entries(details ?? {}).map(([k, v]) => [k, typeof v === "number" ? v : String(v ?? "—")]));
}
