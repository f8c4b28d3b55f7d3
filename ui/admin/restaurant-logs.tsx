"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";

export function AdminRestaurantLogs({ restaurantId }: { restaurantId: string }) {
  const t = useTranslations("admin");
  const format = useFormatter();
  const trpc = useTRPC();
  const logs = useQuery({ ...trpc.admin.logs.queryOptions({ restaurantId }), refetchInterval: 15_000 });
  const when = (d: Date | string | null) => (d ? format.dateTime(new Date(d), { dateStyle: "short", timeStyle: "medium" }) : "—");

  if (logs.isPending) return <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (logs.isError) return <p role="alert" className="rounded-2xl bg-red-50 p-4 text-red-800">{logs.error.message}</p>;
  const { restaurant, syncRuns, jobs, webhooks, audit } = logs.data;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">{restaurant.name}</h1>
      <LogSection title={t("syncRuns")} empty={t("none")} rows={syncRuns.map((r) => ({ id: r.id, when: when(r.startedAt), what: `${r.trigger} · ${r.scope} · ${r.status}`, detail: r.error ?? summarize(r.counts) }))} />
      <LogSection title={t("jobs")} empty={t("none")} rows={jobs.map((j) => ({ id: j.id, when: when(j.createdAt), what: `${j.kind} · ${j.status} · ${j.attempts}×`, detail: j.error ?? "" }))} />
      <LogSection title={t("webhooks")} empty={t("none")} rows={webhooks.map((w) => ({ id: w.id, when: when(w.receivedAt), what: `${w.object ?? "?"}:${w.objectId ?? ""} ${w.action ?? ""} · ${w.outcome}`, detail: w.verified ? (w.error ?? "") : t("unverified") }))} />
      <LogSection title={t("audit")} empty={t("none")} rows={audit.map((a) => ({ id: a.id, when: when(a.createdAt), what: a.action, detail: a.targetType ? `${a.targetType} ${a.targetId ?? ""}` : "" }))} />
    </div>
  );
}

function summarize(counts: Record<string, Record<string, number>> | null): string {
  if (!counts) return "";
  return Object.entries(counts)
    .map(([entity, c]) => `${entity}: ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(", ")}`)
    .join(" · ");
}

function LogSection({ title, empty, rows }: { title: string; empty: string; rows: { id: string; when: string; what: string; detail: string }[] }) {
  return (
    <section aria-label={title}>
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-2xl bg-white text-sm shadow-sm">
          {rows.map((r) => (
            <li key={r.id} className="flex flex-col gap-0.5 p-3 sm:flex-row sm:gap-3">
              <span className="shrink-0 text-slate-500 tabular-nums">{r.when}</span>
              <span className="font-medium">{r.what}</span>
              {r.detail && <span className="break-all text-slate-600">{r.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
