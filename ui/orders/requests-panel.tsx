"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { Button } from "@/ui/kit/button";
import { ErrorBox, SuccessBox } from "@/ui/kit/error-box";
import { useFormat } from "@/ui/kit/hooks";
import { Skeleton } from "@/ui/kit/skeleton";
import { LoadError } from "@/ui/errors/load-error";
import { useErrorText } from "@/ui/errors/describe";

/**
 * The submitted checklists waiting to be merged, read before merging: who sent which department's list, when,
 * the note, the lines and where each goes. Every request is ticked; the manager unticks what should wait.
 */
export function RequestsPanel({ summary }: { summary: { openLines: number; unsortedLines: number } }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const describe = useErrorText();
  // Unticked, not ticked: a request that arrives while the screen is open is ticked like the others.
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const requests = useQuery(trpc.orders.requests.queryOptions());
  const merge = useMutation(
    trpc.orders.merge.mutationOptions({
      onSuccess: () => setUnticked(new Set()),
      onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.orders.requests.pathKey() })]),
    }),
  );

  const listed = requests.data?.requests ?? [];
  const ticked = listed.filter((r) => !unticked.has(r.id));
  const all = ticked.length === listed.length && listed.length === (requests.data?.total ?? 0);
  const toggle = (id: string) =>
    setUnticked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section id="requests" aria-labelledby="requests-title" className="flex scroll-mt-4 flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="requests-title" className="text-lg font-semibold">
        {t("requests.title")}
      </h2>
      <p className="text-slate-700">{t("merge.waiting", { count: summary.openLines })}</p>
      {summary.unsortedLines > 0 ? (
        <p className="text-amber-800">
          {t("merge.unsorted", { count: summary.unsortedLines })}{" "}
          <Link href="/orders/unsorted" className="font-semibold underline">
            {t("merge.openUnsorted")}
          </Link>
        </p>
      ) : null}

      {requests.isPending ? (
        <Skeleton className="h-24" />
      ) : requests.isError ? (
        <LoadError title={t("requests.loadError")} error={requests.error} onRetry={() => void requests.refetch()} />
      ) : listed.length === 0 ? null : (
        <ul className="flex flex-col gap-2" data-testid="open-requests">
          {listed.map((r) => (
            <li key={r.id} className="rounded-xl border border-slate-200 p-3">
              <label className="flex min-h-11 items-start gap-3">
                <input type="checkbox" className="mt-1 size-5 shrink-0" checked={!unticked.has(r.id)} onChange={() => toggle(r.id)} />
                <span className="flex flex-col">
                  <span className="font-medium">{r.departmentName}</span>
                  <span className="text-sm text-slate-600">
                    {t("requests.from", { author: r.authorName })}
                    {r.submittedAt ? ` · ${fmt.dateTime(r.submittedAt)}` : ""}
                  </span>
                </span>
              </label>
              {r.note ? (
                <p className="mt-2 whitespace-pre-line rounded-lg bg-amber-50 p-2 text-slate-900" data-testid="request-note">
                  {r.note}
                </p>
              ) : null}
              <details className="mt-2">
                <summary className="min-h-11 cursor-pointer py-2 text-sm font-medium text-slate-700">{t("lineCount", { count: r.lines.length })}</summary>
                <ul className="flex flex-col divide-y divide-slate-100 text-sm">
                  {r.lines.map((l, i) => (
                    <li key={i} className="flex justify-between gap-2 py-1">
                      <span>{l.productName}</span>
                      <span className="shrink-0 text-right">
                        {fmt.quantity(l.quantity, l.unit)}
                        <span className={l.supplierName ? "block text-slate-500" : "block text-amber-800"}>{l.supplierName ?? t("requests.noSupplier")}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
          {requests.data && requests.data.total > listed.length ? (
            <li className="text-sm text-slate-600">{t("requests.more", { count: requests.data.total - listed.length })}</li>
          ) : null}
        </ul>
      )}

      <Button
        variant="primary"
        disabled={merge.isPending || ticked.length === 0 || summary.openLines - summary.unsortedLines === 0}
        onClick={() => merge.mutate(all ? {} : { requestIds: ticked.map((r) => r.id) })}
      >
        {merge.isPending ? t("merge.working") : all ? t("merge.action") : t("requests.mergeSelected", { count: ticked.length })}
      </Button>
      <div aria-live="polite">
        {merge.data ? <SuccessBox>{t("merge.result", { created: merge.data.ordersCreated, updated: merge.data.ordersUpdated, placed: merge.data.linesPlaced })}</SuccessBox> : null}
        {merge.error ? <ErrorBox>{t("merge.error", { message: describe(merge.error) })}</ErrorBox> : null}
      </div>
    </section>
  );
}
