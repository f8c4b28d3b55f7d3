"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";

export function AdminRestaurantLogs({ restaurantId }: { restaurantId: string }) {
  const t = useTranslations("admin");
  const format = useFormatter();
  const trpc = useTRPC();
  const logs = useQuery({ ...trpc.admin.logs.queryOptions({ restaurantId }), refetchInterval: 15_000 });
  const when = (d: Date | string | null) => (d ? format.dateTime(new Date(d), { dateStyle: "short", timeStyle: "medium" }) : "—");

  if (logs.isPending) return <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (logs.isError) return <LoadError title={t("logsLoadError")} error={logs.error} onRetry={() => void logs.refetch()} />;
  const { restaurant, syncRuns, jobs, webhooks, audit } = logs.data;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">{restaurant.name}</h1>
      <LogSection
        title={t("syncRuns")}
        empty={t("none")}
        rows={syncRuns.map((r) => ({
          id: r.id,
          when: when(r.startedAt),
          what: `${r.trigger} · ${r.scope} · ${r.status}`,
          detail: r.error ?? (summarize(r.counts) || t("noChanges")),
          notes: runNotes(r, t),
        }))}
      />
      <LogSection title={t("jobs")} empty={t("none")} rows={jobs.map((j) => ({ id: j.id, when: when(j.createdAt), what: `${j.kind} · ${j.status} · ${j.attempts}×`, detail: j.error ?? "" }))} />
      <LogSection title={t("webhooks")} empty={t("none")} rows={webhooks.map((w) => ({ id: w.id, when: when(w.receivedAt), what: `${w.object ?? "?"}:${w.objectId ?? ""} ${w.action ?? ""} · ${w.outcome}`, detail: w.verified ? (w.error ?? "") : t("unverified") }))} />
      <LogSection title={t("audit")} empty={t("none")} rows={audit.map((a) => ({ id: a.id, when: when(a.createdAt), what: a.action, detail: a.targetType ? `${a.targetType} ${a.targetId ?? ""}` : "" }))} />
    </div>
  );
}

/** Only what happened: "products: added 3, skipped 1 · stock: changed 12". */
function summarize(counts: Record<string, Record<string, number>> | null): string {
  if (!counts) return "";
  return Object.entries(counts)
    .flatMap(([entity, c]) => {
      const nonZero = Object.entries(c).filter(([, v]) => v !== 0);
      return nonZero.length > 0 ? [`${entity}: ${nonZero.map(([k, v]) => `${k} ${v}`).join(", ")}`] : [];
    })
    .join(" · ");
}

type Translate = ReturnType<typeof useTranslations<"admin">>;

interface RunRecord {
  counts: Record<string, Record<string, number>> | null;
  skippedReasons: string[] | null;
  settingsChanges: Record<string, { from: string; to: string }> | null;
}

/** The rows Poster sent unreadable (how many, the first reasons) and the settings the run refreshed. */
function runNotes(run: RunRecord, t: Translate): string[] {
  const notes: string[] = [];
  const skipped = Object.values(run.counts ?? {}).reduce((n, c) => n + (c.skipped ?? 0), 0);
  if (skipped > 0) notes.push(`${t("skippedRows", { count: skipped })} ${(run.skippedReasons ?? []).join("; ")}`);
  const changes = Object.entries(run.settingsChanges ?? {});
  if (changes.length > 0) {
    const fields = changes.map(([field, c]) => `${t.has(`settingsField.${field}`) ? t(`settingsField.${field}` as "settingsField.name") : field}: ${c.from} → ${c.to}`);
    notes.push(`${t("settingsChanged")} ${fields.join(", ")}`);
  }
  return notes;
}

interface LogRow { id: string; when: string; what: string; detail: string; notes?: string[] }

function LogSection({ title, empty, rows }: { title: string; empty: string; rows: LogRow[] }) {
  return (
    <section aria-label={title}>
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-2xl bg-white text-sm shadow-sm">
          {rows.map((r) => (
            <li key={r.id} className="flex flex-col gap-0.5 p-3 sm:flex-row sm:flex-wrap sm:gap-x-3">
              <span className="shrink-0 text-slate-500 tabular-nums">{r.when}</span>
              <span className="font-medium">{r.what}</span>
              {r.detail && <span className="break-all text-slate-600">{r.detail}</span>}
              {r.notes?.map((note) => (
                <span key={note} className="break-all text-amber-800 sm:basis-full">{note}</span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
