"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";

/** The last backup, its size and age; red when none succeeded in 26 h (the rule lives in server/backup/overview). */
export function BackupsPanel() {
  const t = useTranslations("admin.backups");
  const format = useFormatter();
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.admin.backups.queryOptions(), refetchInterval: 60_000 });

  if (status.isPending) return <div className="h-20 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (status.isError) return <p role="alert" className="rounded-2xl bg-red-50 p-4 text-red-800">{t("loadError")}</p>;
  const b = status.data;
  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? `${format.number(bytes / (1024 * 1024), { maximumFractionDigits: 1 })} MiB`
      : `${format.number(bytes / 1024, { maximumFractionDigits: 1 })} KiB`;
  return (
    <section aria-labelledby="backups-title" className={`rounded-2xl p-4 shadow-sm ${b.alert.alert ? "bg-red-50" : "bg-white"}`}>
      <h2 id="backups-title" className="font-semibold">
        {t("title")}
      </h2>
      {b.alert.alert && (
        <p role="alert" className="mt-1 font-semibold text-red-800">
          {b.alert.reason === "none" ? t("alertNone") : t("alertStale", { hours: b.alert.hoursSince ?? 26 })}
        </p>
      )}
      <p className="mt-1 text-sm text-slate-700">
        {b.last ? t("last", { when: format.relativeTime(new Date(b.last.at)), size: size(b.last.bytes) }) : t("none")}
      </p>
      <p className="text-xs text-slate-500">{t("count", { count: b.count, location: b.location })}</p>
      {b.storageError && <p className="mt-1 text-sm text-red-800">{t("storageError", { error: b.storageError })}</p>}
      {b.lastFailure?.error && <p className="mt-1 text-sm text-red-800">{t("lastFailure", { error: b.lastFailure.error })}</p>}
    </section>
  );
}
