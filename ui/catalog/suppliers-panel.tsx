"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { SupplierRow } from "@/server/catalog/suppliers";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { inputClass } from "@/ui/kit/input";
import { SupplierForm } from "./supplier-form";
import { LoadError } from "@/ui/errors/load-error";

export function SuppliersPanel() {
  const t = useTranslations("catalog");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [includeArchived, setIncludeArchived] = useState(false);
  const [editing, setEditing] = useState<string | "new" | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const input = { includeArchived, ...(debounced ? { search: debounced } : {}) };
  const list = useQuery({ ...trpc.catalog.suppliers.list.queryOptions(input), placeholderData: keepPreviousData });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <input
          type="search"
          aria-label={t("suppliers.search")}
          placeholder={t("suppliers.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className={inputClass}
        />
        <label className="flex h-12 shrink-0 items-center gap-2 text-sm">
          <input type="checkbox" className="size-5" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          {t("suppliers.showArchived")}
        </label>
      </div>
      {editing === "new" ? (
        <SupplierForm supplier={null} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" className={buttonClass("primary")} onClick={() => setEditing("new")}>
          {t("suppliers.new")}
        </button>
      )}
      {list.isPending ? (
        <div className="h-24 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />
      ) : list.isError ? (
        <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{debounced ? t("suppliers.noMatch", { search: debounced }) : t("suppliers.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" aria-busy={list.isFetching}>
          {list.data.map((s) =>
            editing === s.id ? (
              <li key={s.id}>
                <SupplierForm supplier={s} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <SupplierCard key={s.id} supplier={s} onEdit={() => setEditing(s.id)} />
            ),
          )}
        </ul>
      )}
    </div>
  );
}

function SupplierCard({ supplier: s, onEdit }: { supplier: SupplierRow; onEdit: () => void }) {
  const t = useTranslations("catalog");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const archive = useMutation(
    trpc.catalog.suppliers.setArchived.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.catalog.suppliers.list.pathFilter()),
    }),
  );
  return (
    <li className={`rounded-2xl bg-white p-4 shadow-sm ${s.isArchived ? "opacity-60" : ""}`}>
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          <p className="font-semibold">{s.name}</p>
          <p className="text-xs text-slate-500">
            {s.isLocal ? t("local") : t("poster")} · {t("suppliers.products", { count: s.productCount })}
            {s.isArchived && <> · {t("suppliers.archived")}</>}
          </p>
        </div>
        <button type="button" onClick={onEdit} aria-label={t("editNamed", { name: s.name })} className="h-11 shrink-0 rounded-lg border border-slate-300 px-3 text-sm font-medium">
          {t("edit")}
        </button>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        {s.effectivePhone && (
          <>
            <dt className="text-slate-500">{t("suppliers.phone")}</dt>
            <dd>
              <a href={`tel:${s.effectivePhone.replace(/[^\d+]/g, "")}`} className="underline">
                {s.effectivePhone}
              </a>
            </dd>
          </>
        )}
        {s.email && (
          <>
            <dt className="text-slate-500">{t("suppliers.email")}</dt>
            <dd className="truncate" data-testid="supplier-email">{s.email}</dd>
          </>
        )}
        {s.telegram && (
          <>
            <dt className="text-slate-500">Telegram</dt>
            <dd>@{s.telegram}</dd>
          </>
        )}
        {s.preferredChannel && (
          <>
            <dt className="text-slate-500">{t("suppliers.preferredChannel")}</dt>
            <dd>{t(`channels.${s.preferredChannel}`)}</dd>
          </>
        )}
      </dl>
      {s.isLocal && (
        <button
          type="button"
          disabled={archive.isPending}
          onClick={() => archive.mutate({ id: s.id, archived: !s.isArchived })}
          className={`${buttonClass("secondary")} mt-3 h-11 text-sm`}
        >
          {s.isArchived ? t("suppliers.unarchive") : t("suppliers.archive")}
        </button>
      )}
    </li>
  );
}
