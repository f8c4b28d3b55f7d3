"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";

/**
 * Shown on every page while the restaurant is disabled or paused by the platform (with the admin's reason), or its Poster
 * connection needs the owner: broken (syncs are paused) or about to expire. Owners get the reconnect link;
 * everyone else is told who can fix it. Below it, what the platform's flags switched off (Poster writes, webhooks).
 */
export function ConnectionBanner() {
  const t = useTranslations("jobs");
  const format = useFormatter();
  const trpc = useTRPC();
  // Rechecked every few minutes and on focus: the daily check or a failing sync may change it meanwhile.
  const connection = useQuery({ ...trpc.jobs.connection.queryOptions(), staleTime: 60_000, refetchInterval: 5 * 60_000, retry: false });
  const pause = connection.data?.pause;
  if (pause?.kind === "disabled") {
    return (
      <div role="alert" data-testid="disabled-banner" className="flex flex-col gap-1 bg-red-900 px-4 py-3 text-sm text-white">
        <p className="font-medium">{pause.since ? t("banner.disabledSince", { date: format.dateTime(pause.since, { dateStyle: "medium", timeStyle: "short" }) }) : t("banner.disabled")}</p>
        {pause.reason ? <p>{t("banner.pausedReason", { reason: pause.reason })}</p> : null}
        <p className="text-red-100">{t("banner.disabledEffect")}</p>
      </div>
    );
  }
  if (pause) {
    return (
      <div role="status" data-testid="paused-banner" className="flex flex-col gap-1 bg-slate-800 px-4 py-3 text-sm text-white">
        <p className="font-medium">{pause.since ? t("banner.pausedSince", { date: format.dateTime(pause.since, { dateStyle: "medium", timeStyle: "short" }) }) : t("banner.paused")}</p>
        {pause.reason ? <p>{t("banner.pausedReason", { reason: pause.reason })}</p> : null}
        <p className="text-slate-300">{t("banner.pausedEffect")}</p>
      </div>
    );
  }
  const status = connection.data?.status;
  const flags = connection.data?.flags;
  const switchedOff = flags && (!flags["poster.writes"] || !flags["poster.webhooks"]) ? (
    <div role="status" data-testid="switched-off-banner" className="flex flex-col gap-1 bg-sky-50 px-4 py-3 text-sm text-sky-900">
      {!flags["poster.writes"] && <p>{t("banner.writesOff")}</p>}
      {!flags["poster.webhooks"] && <p>{t("banner.webhooksOff")}</p>}
    </div>
  ) : null;
  if (status !== "needs_reconnect" && status !== "expiring") return switchedOff;
  const broken = status === "needs_reconnect";
  const href = connection.data?.accountLogin ? `/api/poster/connect?account=${encodeURIComponent(connection.data.accountLogin)}` : "/api/poster/connect";
  return (
    <>
      <div
        role={broken ? "alert" : "status"}
        className={`flex flex-wrap items-center gap-3 px-4 py-3 text-sm ${broken ? "bg-red-50 text-red-900" : "bg-amber-50 text-amber-900"}`}
      >
        <p className="min-w-0 flex-1">{broken ? t("banner.needsReconnect") : t("banner.expiring")}</p>
        {connection.data?.canReconnect ? (
          <a href={href} className={`flex h-11 items-center rounded-lg px-4 font-medium text-white ${broken ? "bg-red-700" : "bg-amber-700"}`}>
            {t("banner.reconnect")}
          </a>
        ) : (
          <p className="text-xs">{t("banner.askOwner")}</p>
        )}
      </div>
      {switchedOff}
    </>
  );
}
