"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useErrorText } from "@/ui/errors/describe";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";

const CONNECTION_TONE: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  expiring: "bg-amber-100 text-amber-800",
  needs_reconnect: "bg-red-100 text-red-800",
  disconnected: "bg-slate-200 text-slate-700",
};

export function AdminRestaurants() {
  const t = useTranslations("admin");
  const describe = useErrorText();
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const list = useQuery({ ...trpc.admin.restaurants.queryOptions(), refetchInterval: 15_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.restaurants.queryKey() });
  const forceSync = useMutation(
    trpc.admin.forceSync.mutationOptions({
      onSuccess: (job) => setMessage({ tone: "ok", text: job.joined ? t("syncJoined") : t("syncQueued") }),
      onError: (err) => setMessage({ tone: "error", text: describe(err) }),
      onSettled: refresh,
    }),
  );
  const [pausing, setPausing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const setPaused = useMutation(
    trpc.admin.setPaused.mutationOptions({
      onSuccess: (r) => {
        setPausing(null);
        setReason("");
        setMessage({ tone: "ok", text: r.status === "paused" ? t("pausedDone") : t("resumedDone", { count: r.postingsQueued }) });
      },
      onSettled: refresh,
      onError: (err) => setMessage({ tone: "error", text: describe(err) }),
    }),
  );

  if (list.isPending) return <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (list.isError) {
    return <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />;
  }
  return (
    <section className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold">{t("restaurants", { count: list.data.length })}</h1>
      {message && (
        <p role="status" className={`rounded-lg p-3 text-sm ${message.tone === "ok" ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
          {message.text}
        </p>
      )}
      {list.data.length === 0 && <p className="rounded-2xl bg-white p-4 text-slate-600">{t("empty")}</p>}
      <ul className="flex flex-col gap-2">
        {list.data.map((r) => (
          <li key={r.id} className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm sm:flex-row sm:items-center">
            <div className="min-w-0 flex-1">
              <Link href={`/admin/restaurants/${r.id}`} className="font-semibold text-emerald-800 underline-offset-2 hover:underline">
                {r.name}
              </Link>
              <p className="text-sm text-slate-600">
                {r.accountNumber ?? "—"} ·{" "}
                {r.lastSync
                  ? t("lastSync", { status: r.lastSync.status, when: format.relativeTime(new Date(r.lastSync.startedAt)) })
                  : t("neverSynced")}
              </p>
              <div className="mt-1 flex flex-wrap gap-2 text-xs">
                <span className={`rounded-full px-2 py-0.5 ${CONNECTION_TONE[r.connectionStatus ?? "disconnected"] ?? ""}`}>
                  {t(`connection.${r.connectionStatus ?? "none"}`)}
                </span>
                {r.status === "paused" && <span className="rounded-full bg-slate-800 px-2 py-0.5 text-white">{t("paused")}</span>}
                <span className={`rounded-full px-2 py-0.5 ${r.errors24h > 0 ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-600"}`}>
                  {t("errors24h", { count: r.errors24h })}
                </span>
              </div>
              {r.status === "paused" && r.pausedReason ? <p className="mt-1 text-sm text-slate-700">{t("pausedBecause", { reason: r.pausedReason })}</p> : null}
              {pausing === r.id ? (
                <form
                  className="mt-2 flex flex-col gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    setPaused.mutate({ restaurantId: r.id, paused: true, reason: reason.trim() });
                  }}
                >
                  <label className="flex flex-col gap-1 text-sm font-medium">
                    {t("pauseReason")}
                    <textarea className="min-h-20 rounded-lg border border-slate-300 p-2 text-base" required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
                  </label>
                  <p className="text-xs text-slate-600">{t("pauseEffect")}</p>
                  <div className="flex gap-2">
                    <button type="submit" className="h-11 rounded-lg bg-slate-800 px-3 text-sm font-semibold text-white disabled:opacity-50" disabled={setPaused.isPending || reason.trim().length < 3}>
                      {t("pauseConfirm")}
                    </button>
                    <button type="button" className="h-11 rounded-lg border border-slate-300 px-3 text-sm" onClick={() => setPausing(null)}>
                      {t("cancel")}
                    </button>
                  </div>
                </form>
              ) : null}
            </div>
            <div className="flex gap-2">
              <button
                type="button"
                className="h-11 rounded-lg bg-emerald-600 px-3 text-sm font-semibold text-white disabled:opacity-50"
                disabled={forceSync.isPending}
                onClick={() => forceSync.mutate({ restaurantId: r.id })}
                aria-label={t("forceSyncFor", { name: r.name })}
              >
                {t("forceSync")}
              </button>
              <button
                type="button"
                className="h-11 rounded-lg border border-slate-300 px-3 text-sm"
                disabled={setPaused.isPending}
                aria-label={r.status === "paused" ? t("resumeFor", { name: r.name }) : t("pauseFor", { name: r.name })}
                onClick={() => {
                  if (r.status === "paused") setPaused.mutate({ restaurantId: r.id, paused: false });
                  else {
                    setReason("");
                    setPausing(r.id);
                  }
                }}
              >
                {r.status === "paused" ? t("resume") : t("pause")}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
