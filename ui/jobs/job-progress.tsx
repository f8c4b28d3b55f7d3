"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { useTRPC } from "@/ui/trpc/react";

const ACTIVE = new Set(["queued", "running"]);

/**
 * Follows one background job (polls jobs.get while it is queued or running): a progress bar with its step,
 * then the outcome. `onDone` fires once when it ends, so the caller can refresh what the job changed.
 */
export function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (status: string) => void }) {
  const t = useTranslations("jobs");
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ jobId }),
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : 1_000),
  });
  const status = job.data?.status;
  const finished = status !== undefined && !ACTIVE.has(status);
  useEffect(() => {
    if (finished && status) onDone?.(status);
  }, [finished, status, onDone]);

  if (job.isError) return <p role="alert" className="text-sm text-red-700">{t("progress.loadError")}</p>;
  if (!job.data) return <p className="text-sm text-slate-600">{t("progress.queued")}</p>;
  const { progress, error } = job.data;
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : null;

  if (status === "succeeded") return <p role="status" className="text-sm text-emerald-700">{t("progress.succeeded")}</p>;
  if (status === "failed" || status === "dead") {
    return (
      <p role="alert" className="text-sm text-red-700">
        {t("progress.failed")}
        {error ? `: ${error}` : ""}
      </p>
    );
  }
  return (
    <div aria-live="polite" className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label={t("progress.label")}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { "aria-valuenow": percent } : {})}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-emerald-600 transition-all" style={{ width: `${percent ?? 5}%` }} />
      </div>
      <p className="text-sm text-slate-600">
        {status === "queued" ? t(job.data.attempts > 0 ? "progress.retrying" : "progress.queued") : t("progress.running")}
        {percent !== null ? ` · ${percent}%` : ""}
      </p>
    </div>
  );
}
