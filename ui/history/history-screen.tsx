"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { ORDER_STATUSES, type OrderStatus } from "@/vocabulary/constants";
import { filtersQuery, listInput, type Filters } from "./filters";
import { LoadError } from "@/ui/errors/load-error";
import { useCurrentRestaurant } from "@/ui/kit/hooks";

const field = "h-12 w-full rounded-lg border border-slate-300 bg-white px-3 text-base";

const STATUS_STYLE: Record<OrderStatus, string> = {
  draft: "bg-slate-100 text-slate-700",
  sent: "bg-sky-100 text-sky-800",
  partially_received: "bg-amber-100 text-amber-800",
  received: "bg-emerald-100 text-emerald-800",
  cancelled: "bg-red-100 text-red-700",
};

/** Purchase orders with filters (kept in the URL), paged, each linking to its detail; CSV and XLSX export. */
export function HistoryScreen({ initialFilters }: { initialFilters: Filters }) {
  const t = useTranslations("history");
  const format = useFormatter();
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const current = useCurrentRestaurant();
  const canRead = current.data?.permissions.includes("orders.read") ?? false;
  const suppliers = useQuery({ ...trpc.catalog.suppliers.list.queryOptions({ includeArchived: true }), enabled: canRead });
  // A reversed range is said here rather than sent (the server would refuse it too).
  const reversed = !!filters.from && !!filters.to && filters.from > filters.to;
  const list = useInfiniteQuery({
    ...trpc.history.list.infiniteQueryOptions(listInput(filters), { getNextPageParam: (page) => page.nextCursor }),
    enabled: canRead && !reversed,
  });

  const update = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    for (const key of Object.keys(next) as (keyof Filters)[]) if (!next[key]) delete next[key];
    if (next.dateField === "delivery") delete next.dateField;
    setFilters(next);
    const query = filtersQuery(next);
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  };

  if (current.isPending) return <div className="h-32 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (current.data && !canRead) return <p className="rounded-2xl bg-white p-4 text-slate-700">{t("noAccess")}</p>;

  const currency = current.data?.restaurant.currency ?? "RUB";
  const money = (minor: number) => format.number(minor / 100, { style: "currency", currency });
  const day = (iso: string) => format.dateTime(new Date(`${iso}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });
  const orders = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  const query = filtersQuery(filters);
  const exportHref = (fmt: "csv" | "xlsx") => `/api/export/orders?format=${fmt}${query ? `&${query}` : ""}`;

  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>

      <form aria-label={t("filters")} className="grid grid-cols-1 gap-2 rounded-2xl bg-white p-3 shadow-sm sm:grid-cols-2" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("supplier")}
          <select className={field} value={filters.supplierId ?? ""} onChange={(e) => update({ supplierId: e.target.value })}>
            <option value="">{t("allSuppliers")}</option>
            {suppliers.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("department")}
          <select className={field} value={filters.departmentId ?? ""} onChange={(e) => update({ departmentId: e.target.value })}>
            <option value="">{t("allDepartments")}</option>
            {current.data?.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("statusLabel")}
          <select className={field} value={filters.status ?? ""} onChange={(e) => update({ status: (e.target.value || undefined) as OrderStatus | undefined })}>
            <option value="">{t("allStatuses")}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("dateField")}
          <select className={field} value={filters.dateField ?? "delivery"} onChange={(e) => update({ dateField: e.target.value as Filters["dateField"] })}>
            <option value="delivery">{t("dateFields.delivery")}</option>
            <option value="created">{t("dateFields.created")}</option>
          </select>
        </label>
        <div className="grid grid-cols-2 gap-2 sm:col-span-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("from")}
            <input type="date" className={field} value={filters.from ?? ""} max={filters.to} onChange={(e) => update({ from: e.target.value })} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("to")}
            <input type="date" className={field} value={filters.to ?? ""} min={filters.from} onChange={(e) => update({ to: e.target.value })} />
          </label>
        </div>
        {filtered && (
          <button type="button" className="h-11 text-sm text-slate-600 underline sm:col-span-2" onClick={() => update({ supplierId: "", departmentId: "", status: undefined, dateField: undefined, from: "", to: "" })}>
            {t("reset")}
          </button>
        )}
      </form>

      {!reversed && (
        <div className="grid grid-cols-2 gap-2">
          <a href={exportHref("csv")} download className="flex h-12 items-center justify-center rounded-lg border border-slate-300 bg-white font-semibold">
            {t("exportCsv")}
          </a>
          <a href={exportHref("xlsx")} download className="flex h-12 items-center justify-center rounded-lg border border-slate-300 bg-white font-semibold">
            {t("exportXlsx")}
          </a>
        </div>
      )}

      {reversed ? (
        <p role="alert" className="rounded-2xl bg-amber-50 p-4 text-amber-900">
          {t("rangeReversed")}
        </p>
      ) : list.isPending ? (
        <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />
      ) : list.isError && orders.length === 0 ? (
        <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />
      ) : orders.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{filtered ? t("noMatch") : t("empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" aria-busy={list.isFetching}>
          {orders.map((o) => (
            <li key={o.id}>
              <Link href={`/orders/${o.id}`} aria-label={t("open", { number: o.number })} className="block rounded-2xl bg-white p-4 shadow-sm hover:bg-slate-50">
                <div className="flex items-start justify-between gap-2">
                  <p className="min-w-0 font-semibold">
                    <span className="text-slate-500">{t("number", { number: o.number })}</span> · {o.supplierName}
                  </p>
                  <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[o.status]}`}>{t(`status.${o.status}`)}</span>
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {t("delivery", { date: day(o.deliveryDate) })}
                  {o.departmentNames.length > 0 && <> · {o.departmentNames.join(", ")}</>}
                </p>
                <p className="mt-1 flex flex-wrap justify-between gap-x-3 text-sm">
                  <span>{t("lines", { count: o.lineCount })}</span>
                  <span className="font-semibold">
                    {o.totalMinor === null ? t("noTotal") : money(o.totalMinor)}
                    {o.totalMinor !== null && o.unpricedLines > 0 && <span className="ml-1 font-normal text-slate-500">({t("unpriced", { count: o.unpricedLines })})</span>}
                  </span>
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="h-12 rounded-lg border border-slate-300 bg-white font-semibold" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
        </button>
      )}
    </section>
  );
}
