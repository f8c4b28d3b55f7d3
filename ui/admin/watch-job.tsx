"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { label } from "./labels";

/** A job the admin just started (a replay, a forced sync), live until it ends, with its progress. */
export function WatchJob({ jobId, what, onDone }: { jobId: string; what: string; onDone: () => void }) {
  const t = useTranslations("admin");
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.admin.job.queryOptions({ jobId }),
    refetchInterval: (q) => (q.state.data && ["succeeded", "failed", "dead"].includes(q.state.data.status) ? false : 1_000),
  });
  const status = job.data?.status;
  const finished = status === "succeeded" || status === "failed" || status === "dead";
  // Once: the restaurant's lists then show the replay's outcome too.
  const reported = useRef(false);
  useEffect(() => {
    if (finished && !reported.current) {
      reported.current = true;
      onDone();
    }
  }, [finished, onDone]);
  return (
    <p role="status" data-testid="replay-status" data-status={status ?? "loading"} className={`rounded-lg p-3 text-sm ${status === "succeeded" ? "bg-emerald-50 text-emerald-800" : finished ? "bg-red-50 text-red-800" : "bg-sky-50 text-sky-900"}`}>
      {t("watching", { what, status: status ? label(t, "jobStatus", status) : "…" })}
      {job.data?.progress ? ` (${job.data.progress.done}/${job.data.progress.total})` : ""}
      {finished && job.data?.error ? ` ${job.data.error}` : ""}
    </p>
  );
}
