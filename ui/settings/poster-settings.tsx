"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";
import { useErrorText } from "@/ui/errors/describe";

type Counts = Record<string, Record<string, number>> | null;

const STATUS_STYLE: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  expiring: "bg-amber-100 text-amber-800",
  needs_reconnect: "bg-red-100 text-red-800",
  disconnected: "bg-slate-200 text-slate-700",
  none: "bg-slate-200 text-slate-700",
  paused: "bg-slate-800 text-white",
};

function totals(counts: Counts) {
  const sum = { added: 0, changed: 0, archived: 0, skipped: 0 };
  for (const c of Object.values(counts ?? {})) {
    sum.added += c.added ?? 0;
    sum.changed += c.changed ?? 0;
    sum.archived += c.archived ?? 0;
    sum.skipped += c.skipped ?? 0;
  }
  return sum;
}

/** Poster connection: status, sync now with progress, reconnect, disconnect, and the recent sync runs. */
export function PosterSettings() {
  const t = useTranslations("settings");
  const describe = useErrorText();
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.poster.status.queryOptions());
  const [jobId, setJobId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ jobId: jobId ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && !["queued", "running"].includes(q.state.data.status) ? false : 1000),
  });
  const jobDone = job.data && !["queued", "running"].includes(job.data.status);
  // A finished sync changed the runs list and the dashboard's counts.
  useEffect(() => {
    if (!jobDone) return;
    void queryClient.invalidateQueries(trpc.poster.status.queryFilter());
    void queryClient.invalidateQueries(trpc.restaurant.current.queryFilter());
  }, [jobDone, queryClient, trpc]);

  const syncNow = useMutation(trpc.jobs.syncNow.mutationOptions({ onSuccess: (r) => setJobId(r.jobId) }));
  const disconnect = useMutation(
    trpc.poster.disconnect.mutationOptions({
      onMutate: async () => {
        setConfirming(false);
        await queryClient.cancelQueries(trpc.poster.status.queryFilter());
        const previous = queryClient.getQueryData(trpc.poster.status.queryKey());
        queryClient.setQueryData(trpc.poster.status.queryKey(), (old) =>
          old?.connection ? { ...old, connection: { ...old.connection, status: "disconnected" as const } } : old,
        );
        return { previous };
      },
      onError: (_e, _v, context) => {
        if (context?.previous) queryClient.setQueryData(trpc.poster.status.queryKey(), context.previous);
      },
      onSettled: () => queryClient.invalidateQueries(trpc.poster.status.queryFilter()),
    }),
  );

  if (status.isPending) return <div className="h-48 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" aria-label={t("loading")} />;
  if (status.isError) {
    return <LoadError title={t("loadError")} error={status.error} onRetry={() => void status.refetch()} />;
  }

  const { connection, pause, runs } = status.data;
  const state = pause ? "paused" : (connection?.status ?? "none");
  // Paused by the platform: no sync of any kind, so no "Sync now" either (the server would refuse it).
  const usable = !pause && (state === "active" || state === "expiring");
  const connectHref = connection ? `/api/poster/connect?account=${encodeURIComponent(connection.accountLogin)}` : "/api/poster/connect";
  const running = jobId !== null && !jobDone;
  const progress = job.data?.progress;

  return (
    <section className="flex flex-col gap-4" aria-labelledby="poster-heading">
      <h1 id="poster-heading" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <div className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="text-lg font-semibold">Poster</h2>
          <span data-testid="poster-status" className={`rounded-full px-3 py-1 text-sm font-medium ${STATUS_STYLE[state]}`}>
            {t(`status.${state}`)}
          </span>
        </div>
        {connection ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-500">{t("account")}</dt>
            <dd>
              {connection.accountLogin} · {connection.accountNumber}
            </dd>
            <dt className="text-slate-500">{t("connectedAt")}</dt>
            <dd>{format.dateTime(connection.connectedAt, { dateStyle: "medium", timeStyle: "short" })}</dd>
          </dl>
        ) : (
          <p className="text-slate-600">{t("notConnectedHint")}</p>
        )}
        {pause && (
          <div data-testid="paused-note" className="rounded-lg bg-slate-100 p-3 text-sm text-slate-800">
            <p className="font-medium">{pause.since ? t("pausedSince", { date: format.dateTime(pause.since, { dateStyle: "medium", timeStyle: "short" }) }) : t("pausedHint")}</p>
            {pause.reason && <p>{t("pausedReason", { reason: pause.reason })}</p>}
            <p>{t("pausedEffect")}</p>
          </div>
        )}
        {state === "needs_reconnect" && <p className="rounded-lg bg-red-50 p-3 text-sm text-red-800">{t("needsReconnectHint")}</p>}
        {connection?.lastError && state !== "active" && <p className="text-sm text-slate-600">{connection.lastError}</p>}

        <div className="flex flex-wrap gap-2">
          {usable && (
            <button
              type="button"
              onClick={() => syncNow.mutate()}
              disabled={syncNow.isPending || running}
              className="h-12 rounded-lg bg-emerald-600 px-4 font-medium text-white disabled:opacity-60"
            >
              {running ? t("syncing") : t("syncNow")}
            </button>
          )}
          <a href={connectHref} className="flex h-12 items-center rounded-lg border border-slate-300 px-4 font-medium">
            {connection ? t("reconnect") : t("connect")}
          </a>
          {connection && state !== "disconnected" && !confirming && (
            <button type="button" onClick={() => setConfirming(true)} className="h-12 rounded-lg px-4 font-medium text-red-700">
              {t("disconnect")}
            </button>
          )}
        </div>
        {confirming && (
          <div role="alertdialog" aria-label={t("disconnectConfirm")} className="flex flex-col gap-2 rounded-lg bg-red-50 p-3">
            <p className="text-sm text-red-900">{t("disconnectConfirm")}</p>
            <div className="flex gap-2">
              <button type="button" onClick={() => disconnect.mutate()} className="h-11 rounded-lg bg-red-700 px-4 font-medium text-white">
                {t("disconnectYes")}
              </button>
              <button type="button" onClick={() => setConfirming(false)} className="h-11 rounded-lg bg-white px-4 font-medium">
                {t("cancel")}
              </button>
            </div>
          </div>
        )}
        {running && (
          <div aria-live="polite" className="flex flex-col gap-1">
            <progress className="h-2 w-full" max={progress?.total ?? 1} value={progress?.done ?? 0} aria-label={t("syncProgress")} />
            <span className="text-sm text-slate-600">{progress ? t("progress", { done: progress.done, total: progress.total }) : t("queued")}</span>
          </div>
        )}
        {jobDone && job.data?.status !== "succeeded" && (
          <p role="alert" className="text-sm text-red-700">
            {t("syncFailed", { error: job.data?.error ?? "" })}
          </p>
        )}
        {(syncNow.isError || disconnect.isError) && (
          <p role="alert" className="text-sm text-red-700">
            {describe(syncNow.error ?? disconnect.error)}
          </p>
        )}
      </div>

      {connection && (
        <div className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">{t("anotherLead")}</p>
          <a href="/api/poster/connect" className="flex h-12 items-center justify-center rounded-lg border border-emerald-600 font-medium text-emerald-700">
            {t("connectAnother")}
          </a>
        </div>
      )}

      <h2 className="text-lg font-semibold">{t("runs")}</h2>
      {runs.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("noRuns")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {runs.map((run) => {
            const sum = totals(run.counts);
            return (
              <li key={run.id} className="rounded-2xl bg-white p-3 text-sm shadow-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium">
                    {t(`trigger.${run.trigger}`)} · {run.scope === "full" ? t("scopeFull") : run.scope}
                  </span>
                  <span className={run.status === "failed" ? "text-red-700" : run.status === "running" ? "text-amber-700" : "text-emerald-700"}>
                    {t(`runStatus.${run.status}`)}
                  </span>
                </div>
                <div className="text-slate-500">{format.dateTime(run.startedAt, { dateStyle: "short", timeStyle: "medium" })}</div>
                {run.status === "succeeded" && <div>{t("counts", sum)}</div>}
                {run.status === "succeeded" && sum.skipped > 0 && <div className="text-amber-800">{t("skipped", { count: sum.skipped })}</div>}
                {run.settingsChanged && <div className="text-slate-600">{t("settingsRefreshed")}</div>}
                {run.error && <div className="text-red-700">{run.error}</div>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
