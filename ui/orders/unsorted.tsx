"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { useFormat } from "@/ui/kit/hooks";
import { inputClass } from "@/ui/kit/input";
import { LoadError } from "@/ui/errors/load-error";
import { useErrorText } from "@/ui/errors/describe";

export function UnsortedProducts() {
  const t = useTranslations("orders");
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [supplierId, setSupplierId] = useState("");

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  // Paged on the server (a big restaurant can have hundreds); the suppliers come with the first page.
  const list = useInfiniteQuery({
    ...trpc.orders.unsorted.infiniteQueryOptions(debounced ? { search: debounced } : {}, { getNextPageParam: (page) => page.nextCursor }),
    placeholderData: keepPreviousData,
  });
  const products = list.data?.pages.flatMap((page) => page.products) ?? [];
  const supplierOptions = list.data?.pages[0]?.suppliers ?? [];
  const assign = useMutation(
    trpc.orders.assignSupplier.mutationOptions({
      onSuccess: () => setSelected(new Set()),
      onSettled: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.orders.unsorted.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() });
      },
    }),
  );
  const merge = useMutation(trpc.orders.merge.mutationOptions({ onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() }) }));

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="flex flex-col gap-4">
      <Link href="/orders" className="text-sm font-medium text-emerald-700">
        ← {t("back")}
      </Link>
      <h1 className="text-2xl font-semibold">{t("unsorted.title")}</h1>
      <p className="text-slate-600">{t("unsorted.intro")}</p>
      <input type="search" aria-label={t("unsorted.search")} placeholder={t("unsorted.search")} value={search} onChange={(e) => setSearch(e.target.value)} className={inputClass} />

      {list.isPending ? (
        <div className="h-24 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />
      ) : list.isError ? (
        <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />
      ) : products.length === 0 ? (
        <div className="flex flex-col gap-2 rounded-2xl bg-white p-4">
          <p className="text-slate-600">{debounced ? t("unsorted.noMatch", { search: debounced }) : t("unsorted.empty")}</p>
          {!debounced ? (
            <button type="button" className={buttonClass("primary")} disabled={merge.isPending} onClick={() => merge.mutate({})}>
              {merge.isPending ? t("merge.working") : t("merge.action")}
            </button>
          ) : null}
          <div aria-live="polite">
            {merge.data ? <p className="text-emerald-800">{t("merge.result", { created: merge.data.ordersCreated, updated: merge.data.ordersUpdated, placed: merge.data.linesPlaced })}</p> : null}
            {merge.error ? <p className="text-red-700">{t("merge.error", { message: describe(merge.error) })}</p> : null}
          </div>
        </div>
      ) : (
        <>
          <label className="flex min-h-11 items-center gap-3 px-1">
            <input
              type="checkbox"
              className="size-5"
              checked={products.every((p) => selected.has(p.productId))}
              onChange={(e) => setSelected(e.target.checked ? new Set(products.map((p) => p.productId)) : new Set())}
            />
            {t("unsorted.selectAll")}
          </label>
          <ul className="flex flex-col gap-2" aria-busy={list.isFetching}>
            {products.map((p) => (
              <li key={p.productId}>
                <label className="flex min-h-12 items-center gap-3 rounded-2xl bg-white p-3 shadow-sm">
                  <input type="checkbox" className="size-5" aria-label={t("unsorted.select", { name: p.name })} checked={selected.has(p.productId)} onChange={() => toggle(p.productId)} />
                  <span className="flex flex-col">
                    <span className="font-medium">{p.name}</span>
                    <span className="text-sm text-slate-600">
                      {t("unsorted.waiting", { quantity: fmt.quantity(p.quantity, p.unit), departments: p.departments.join(", ") })}
                      {p.categoryName ? ` · ${p.categoryName}` : ""}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {list.hasNextPage ? (
            <button type="button" className={buttonClass("secondary", "self-center")} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
            </button>
          ) : null}
          <div className="sticky bottom-0 flex flex-col gap-2 rounded-2xl bg-white p-3 shadow-md">
            <label className="flex flex-col gap-1 text-sm font-medium">
              {t("unsorted.supplier")}
              <select className={inputClass} value={supplierId} onChange={(e) => setSupplierId(e.target.value)}>
                <option value="">{t("unsorted.chooseSupplier")}</option>
                {supplierOptions.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className={buttonClass("primary")}
              disabled={selected.size === 0 || !supplierId || assign.isPending}
              onClick={() => assign.mutate({ productIds: [...selected], supplierId })}
            >
              {t("unsorted.assign", { count: selected.size })}
            </button>
          </div>
        </>
      )}
      <div aria-live="polite">
        {assign.data ? <p className="text-emerald-800">{t("unsorted.assigned", { count: assign.data.updated })}</p> : null}
        {assign.error ? <p className="text-red-700">{t("unsorted.error", { message: describe(assign.error) })}</p> : null}
      </div>
      {products.length > 0 ? (
        <Link href="/orders" className={`${buttonClass("secondary")} self-start`}>
          {t("back")}
        </Link>
      ) : null}
    </section>
  );
}
