"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
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
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const list = useQuery({ ...trpc.admin.restaurants.queryOptions(), refetchInterval: 15_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.restaurants.queryKey() });
  const forceSync = useMutation(
    trpc.admin.forceSync.mutationOptions({
      onSuccess: (job) => setMessage({ tone: "ok", text: job.joined ? t("syncJoined") : t("syncQueued") }),
      onError: (err) => setMessage({ tone: "error", text: err.message }),
      onSettled: refresh,
    }),
  );
  const setPaused = useMutation(trpc.admin.setPaused.mutationOptions({ onSettled: refresh, onError: (err) => setMessage({ tone: "error", text: err.message }) }));

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
                {r.status === "paused" && <span className="rounded-full bg-slate-200 px-2 py-0.5">{t("paused")}</span>}
                <span className={`rounded-full px-2 py-0.5 ${r.errors24h > 0 ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-600"}`}>
                  {t("errors24h", { count: r.errors24h })}
                </span>
              </div>
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
                onClick={() => setPaused.mutate({ restaurantId: r.id, paused: r.status !== "paused" })}
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
