"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { useFormat, usePermissions } from "@/ui/kit/hooks";
import { StatusBadge } from "./shared";
import { LoadError } from "@/ui/errors/load-error";
import { ORDER_STATUSES, type OrderStatus } from "@/vocabulary/constants";
import { RequestsPanel } from "./requests-panel";

const GROUPS: readonly OrderStatus[] = ORDER_STATUSES;

export function OrdersList() {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const fmt = useFormat();
  const { can } = usePermissions();
  const list = useInfiniteQuery(trpc.orders.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor }));

  if (list.isPending) return <div className="h-32 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (list.isError) return <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />;

  // The first page carries the request summary and the per-status counts of the whole list.
  const first = list.data.pages[0];
  const requests = first?.requests ?? { openLines: 0, unsortedLines: 0 };
  const counts = first?.statusCounts ?? {};
  const orders = list.data.pages.flatMap((page) => page.orders);
  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>

      {can("orders.manage") ? <RequestsPanel summary={requests} /> : null}

      {orders.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("empty")}</p>
      ) : (
        GROUPS.map((status) => {
          const group = orders.filter((o) => o.status === status);
          if (group.length === 0) return null;
          return (
            <section key={status} id={`group-${status}`} aria-labelledby={`group-${status}-title`} className="flex scroll-mt-4 flex-col gap-2">
              <h2 id={`group-${status}-title`} className="text-lg font-semibold">
                {t(`status.${status}`)} <span className="text-slate-500">({counts[status] ?? group.length})</span>
              </h2>
              <ul className="flex flex-col gap-2">
                {group.map((o) => (
                  <li key={o.id}>
                    <Link href={`/orders/${o.id}`} className="flex min-h-12 flex-col gap-1 rounded-2xl bg-white p-4 shadow-sm hover:bg-slate-50">
                      <span className="flex items-center justify-between gap-2">
                        <span className="text-lg font-medium">{o.supplierName}</span>
                        <StatusBadge status={o.status} />
                      </span>
                      <span className="text-sm text-slate-600">
                        {t("number", { number: o.number })} · {t("deliveryOn", { date: fmt.date(o.deliveryDate) })} · {t("lineCount", { count: o.lineCount })}
                      </span>
                      {o.failedPostings > 0 ? <span className="text-sm font-medium text-red-700">{t("posting.failedShort")}</span> : null}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
      {list.hasNextPage ? (
        <button type="button" className={buttonClass("secondary", "self-center")} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
        </button>
      ) : null}
      {can("orders.manage") && requests.unsortedLines === 0 ? (
        <Link href="/orders/unsorted" className={`${buttonClass("secondary")} self-start`}>
          {t("unsorted.open")}
        </Link>
      ) : null}
    </section>
  );
}
