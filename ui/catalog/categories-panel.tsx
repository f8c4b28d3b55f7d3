"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";
import { SupplierSelect } from "./supplier-select";

export function CategoriesPanel() {
  const t = useTranslations("catalog");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.catalog.categories.list.queryOptions());
  const suppliers = useQuery(trpc.catalog.suppliers.list.queryOptions({ includeArchived: false }));
  const [failed, setFailed] = useState<string | null>(null);
  const listKey = trpc.catalog.categories.list.queryKey();

  // Optimistic: the picker shows the new supplier at once and goes back if the server refuses.
  const setDefault = useMutation(
    trpc.catalog.categories.setDefaultSupplier.mutationOptions({
      onMutate: async (vars) => {
        setFailed(null);
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        const name = suppliers.data?.find((s) => s.id === vars.supplierId)?.name ?? null;
        queryClient.setQueryData(listKey, (rows) =>
          rows?.map((c) => (c.id === vars.categoryId ? { ...c, defaultSupplierId: vars.supplierId, defaultSupplierName: name } : c)),
        );
        return { previous };
      },
      onError: (_err, vars, result) => {
        if (result?.previous) queryClient.setQueryData(listKey, result.previous);
        setFailed(vars.categoryId);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  if (list.isPending) return <div className="h-24 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (list.isError) {
    return <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />;
  }
  if (list.data.length === 0) return <p className="rounded-2xl bg-white p-4 text-slate-600">{t("categories.empty")}</p>;

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">{t("categories.hint")}</p>
      <ul className="flex flex-col gap-2">
        {list.data.map((c) => (
          <li key={c.id} className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm sm:flex-row sm:items-center">
            <div className="min-w-0 flex-1">
              <p className="font-semibold">{c.name}</p>
              <p className="text-xs text-slate-500">{t("categories.products", { count: c.productCount })}</p>
            </div>
            <SupplierSelect
              aria-label={t("categories.defaultSupplier", { name: c.name })}
              className="sm:w-64"
              suppliers={suppliers.data}
              value={c.defaultSupplierId}
              chosenName={c.defaultSupplierName}
              onChange={(supplierId) => setDefault.mutate({ categoryId: c.id, supplierId })}
              noneLabel={t("categories.noDefault")}
            />
            {failed === c.id && (
              <p role="alert" className="text-sm text-red-700">
                {t("products.saveError")}
              </p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
