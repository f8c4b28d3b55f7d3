"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";

/** The owner's export: start it, watch its progress (a background job), download the zip when it is ready. */
export function DataExport() {
  const t = useTranslations("settings.dataExport");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const latest = useQuery({
    ...trpc.exports.latest.queryOptions(),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "queued" || q.state.data.status === "running") ? 1_500 : false),
  });
  // Rolled out restaurant by restaurant (the export.owner flag).
  const connection = useQuery({ ...trpc.jobs.connection.queryOptions(), staleTime: 60_000, retry: false });
  const start = useMutation(trpc.exports.start.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.exports.latest.queryKey() }) }));

  if (latest.isPending) return <div className="h-24 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (latest.isError) return <p role="alert" className="rounded-2xl bg-red-50 p-4 text-red-800">{t("loadError")}</p>;
  const job = latest.data;
  if (connection.data && !connection.data.flags["export.owner"]) {
    return (
      <section aria-labelledby="data-export-title" className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm">
        <h2 id="data-export-title" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="text-sm text-slate-600" data-testid="export-not-yet">
          {t("notYet")}
        </p>
      </section>
    );
  }
  const busy = start.isPending || job?.status === "queued" || job?.status === "running";
  const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${format.number(bytes / (1024 * 1024), { maximumFractionDigits: 1 })} MB` : `${format.number(Math.max(1, bytes / 1024), { maximumFractionDigits: 0 })} KB`);
  return (
    <section aria-labelledby="data-export-title" className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="data-export-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      {job?.status === "queued" && <p role="status">{t("queued")}</p>}
      {job?.status === "running" && (
        <p role="status">
          {t("preparing", { done: job.progress?.done ?? 0, total: job.progress?.total ?? 1 })}
          <progress className="ml-2 align-middle" value={job.progress?.done ?? 0} max={job.progress?.total ?? 1} />
        </p>
      )}
      {job?.status === "succeeded" && !job.expired && (
        <p className="text-sm">
          {t("ready", { when: format.relativeTime(new Date(job.finishedAt ?? job.createdAt)), size: size(job.bytes ?? 0) })}{" "}
          <a className="font-semibold text-emerald-800 underline" href={`/api/export/restaurant/${job.id}`} download>
            {t("download")}
          </a>
        </p>
      )}
      {job?.status === "succeeded" && job.expired && <p className="text-sm text-slate-600">{t("expired")}</p>}
      {job?.error && <p role="alert" className="text-sm text-red-800">{t("failed")}</p>}
      <button
        type="button"
        className="h-11 self-start rounded-lg bg-emerald-600 px-4 font-semibold text-white disabled:opacity-50"
        disabled={busy}
        onClick={() => start.mutate()}
      >
        {job?.status === "succeeded" ? t("again") : t("start")}
      </button>
    </section>
  );
}
