"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { quantityInput } from "@/server/catalog/validation";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { useFormat } from "@/ui/kit/hooks";
import { inputClass } from "@/ui/kit/input";
import { quantityText } from "./format";
import { LocalProductForm } from "./local-product-form";
import { LoadError } from "@/ui/errors/load-error";
import { ErrorBox, SuccessBox } from "@/ui/kit/error-box";
import { decimalSign } from "@/vocabulary/quantity";
import { SupplierSelect } from "./supplier-select";

interface Department {
  id: string;
  name: string;
}

/** Pick a department, then edit its products: par levels (one or many), visibility, supplier; add local products. */
export function ProductsPanel({ departments, initialDepartmentId }: { departments: Department[]; initialDepartmentId: string | null }) {
  const t = useTranslations("catalog");
  const [departmentId, setDepartmentId] = useState<string | null>(
    departments.some((d) => d.id === initialDepartmentId) ? initialDepartmentId : (departments[0]?.id ?? null),
  );
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  if (!departmentId) return <p className="rounded-2xl bg-white p-4 text-slate-600">{t("products.noDepartments")}</p>;

  const pick = (id: string) => {
    setDepartmentId(id);
    const params = new URLSearchParams(window.location.search);
    params.set("department", id);
    window.history.replaceState(null, "", `?${params.toString()}`);
  };

  return (
    <div className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("products.department")}
        <select className={inputClass} value={departmentId} onChange={(e) => pick(e.target.value)}>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      {creating ? (
        <LocalProductForm
          departments={departments}
          defaultDepartmentId={departmentId}
          onCancel={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setNotice(t("products.created"));
          }}
        />
      ) : (
        <button type="button" className={buttonClass("secondary")} onClick={() => (setCreating(true), setNotice(null))}>
          {t("products.new")}
        </button>
      )}
      {notice && (
        <SuccessBox>
          {notice}
        </SuccessBox>
      )}
      <DepartmentProducts key={departmentId} departmentId={departmentId} />
    </div>
  );
}

function DepartmentProducts({ departmentId }: { departmentId: string }) {
  const t = useTranslations("catalog");
  const fmt = useFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  // Paged and searched on the server: a department can hold a thousand products.
  const input = debounced ? { departmentId, search: debounced } : { departmentId };
  const queryKey = trpc.catalog.products.byDepartment.infiniteQueryKey(input);
  const rows = useInfiniteQuery({
    ...trpc.catalog.products.byDepartment.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor }),
    placeholderData: keepPreviousData,
  });
  const suppliers = useQuery(trpc.catalog.suppliers.list.queryOptions({ includeArchived: false }));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rowError, setRowError] = useState<{ productId: string | null; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [bulkPar, setBulkPar] = useState("");
  const [bulkParInvalid, setBulkParInvalid] = useState(false);
  const [bulkSupplier, setBulkSupplier] = useState("");

  type Pages = NonNullable<typeof rows.data>;
  type Row = Pages["pages"][number]["products"][number];

  // Optimistic updates: apply the change to every loaded page at once, put the old pages back if the server refuses.
  const optimistic = async (patch: (row: Row) => Row) => {
    setRowError(null);
    setNotice(null);
    await queryClient.cancelQueries({ queryKey });
    const previous = queryClient.getQueryData(queryKey);
    queryClient.setQueryData(queryKey, (old) => old && { ...old, pages: old.pages.map((page) => ({ ...page, products: page.products.map(patch) })) });
    return { previous };
  };
  const rollback = (productId: string | null) => (_err: unknown, _vars: unknown, result: { previous?: Pages } | undefined) => {
    if (result?.previous) queryClient.setQueryData(queryKey, result.previous);
    setRowError({ productId, message: t("products.saveError") });
  };
  // Refetch once the last of several quick edits has settled, so an older answer never overwrites a newer edit.
  const settle = () => (queryClient.isMutating() <= 1 ? queryClient.invalidateQueries({ queryKey }) : undefined);

  const setPar = useMutation(
    trpc.catalog.products.setParLevels.mutationOptions({
      onMutate: ({ items }) => optimistic((r) => ({ ...r, parLevel: items.find((i) => i.productId === r.productId)?.parLevel ?? r.parLevel })),
      onError: (err, vars, result) => rollback(vars.items[0]?.productId ?? null)(err, vars, result),
      onSettled: settle,
    }),
  );
  const setBulk = useMutation(
    trpc.catalog.products.setBulkParLevel.mutationOptions({
      onMutate: ({ productIds, parLevel }) => optimistic((r) => (productIds.includes(r.productId) ? { ...r, parLevel } : r)),
      onError: rollback(null),
      onSuccess: () => setBulkPar(""),
      onSettled: settle,
    }),
  );
  const copyStock = useMutation(
    trpc.catalog.products.copyStockAsPar.mutationOptions({
      onMutate: ({ productIds }) =>
        optimistic((r) => (productIds.includes(r.productId) && r.stock !== null ? { ...r, parLevel: decimalSign(r.stock) === -1 ? "0" : r.stock } : r)),
      onError: rollback(null),
      onSuccess: (result) => setNotice(t("products.copyStockDone", result)),
      onSettled: settle,
    }),
  );
  const setHidden = useMutation(
    trpc.catalog.products.setHidden.mutationOptions({
      onMutate: ({ productIds, hidden }) => optimistic((r) => (productIds.includes(r.productId) ? { ...r, isHidden: hidden } : r)),
      onError: (err, vars, result) => rollback(vars.productIds.length === 1 ? vars.productIds[0]! : null)(err, vars, result),
      onSettled: settle,
    }),
  );
  const setSupplier = useMutation(
    trpc.catalog.products.setSupplier.mutationOptions({
      onMutate: ({ productIds, supplierId }) => {
        const name = suppliers.data?.find((s) => s.id === supplierId)?.name ?? null;
        return optimistic((r) => (productIds.includes(r.productId) ? { ...r, supplierId, supplierName: name } : r));
      },
      onError: (err, vars, result) => rollback(vars.productIds.length === 1 ? vars.productIds[0]! : null)(err, vars, result),
      onSuccess: () => setBulkSupplier(""),
      onSettled: settle,
    }),
  );
  const archive = useMutation(
    trpc.catalog.products.archiveLocal.mutationOptions({
      // An archived product leaves the list: it must not stay in the selection the bulk actions apply to.
      onSuccess: (_result, vars) => setSelected((s) => new Set([...s].filter((id) => id !== vars.productId))),
      onError: (_err, vars) => setRowError({ productId: vars.productId, message: t("products.saveError") }),
      onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey }), queryClient.invalidateQueries(trpc.catalog.categories.list.pathFilter())]),
    }),
  );

  if (rows.isPending) return <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (rows.isError) {
    return <LoadError title={t("loadError")} error={rows.error} onRetry={() => void rows.refetch()} />;
  }
  const visible = rows.data.pages.flatMap((page) => page.products);
  if (visible.length === 0 && !debounced && !search.trim()) return <p className="rounded-2xl bg-white p-4 text-slate-600">{t("products.empty")}</p>;

  // Selected products stay selected while a search shows others; the bulk actions apply to all of them.
  const chosen = [...selected];
  const allVisibleSelected = visible.length > 0 && visible.every((r) => selected.has(r.productId));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const applyBulkPar = () => {
    const parsed = bulkPar.trim() === "" ? null : quantityInput.safeParse(bulkPar);
    if (parsed && !parsed.success) return setBulkParInvalid(true);
    setBulkParInvalid(false);
    setBulk.mutate({ departmentId, productIds: chosen, parLevel: parsed ? parsed.data : null });
  };
  const stockText = (r: Row) =>
    r.stock === null ? t("products.noStock") : fmt.quantity(r.stock, r.unit);

  return (
    <div className="flex flex-col gap-3">
      <input
        type="search"
        aria-label={t("products.search")}
        placeholder={t("products.search")}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className={inputClass}
      />
      <div className="flex items-center justify-between gap-2">
        <label className="flex h-11 items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            className="size-5"
            checked={allVisibleSelected}
            onChange={(e) => setSelected(e.target.checked ? new Set([...selected, ...visible.map((r) => r.productId)]) : new Set())}
          />
          {t("products.selectAll")}
        </label>
        {chosen.length > 0 && (
          <button type="button" className="h-11 px-2 text-sm text-slate-600 underline" onClick={() => setSelected(new Set())}>
            {t("products.clearSelection")}
          </button>
        )}
      </div>

      {chosen.length > 0 && (
        <section aria-label={t("products.selected", { count: chosen.length })} className="sticky top-14 z-[5] flex flex-col gap-2 rounded-2xl border-2 border-emerald-200 bg-emerald-50 p-3">
          <p className="text-sm font-semibold">{t("products.selected", { count: chosen.length })}</p>
          <div className="flex gap-2">
            <input
              inputMode="decimal"
              aria-label={t("products.parForSelected")}
              aria-invalid={bulkParInvalid || undefined}
              placeholder={t("products.parForSelected")}
              className={inputClass}
              value={bulkPar}
              onChange={(e) => setBulkPar(e.target.value)}
            />
            <button type="button" className={`${buttonClass("primary")} shrink-0`} onClick={applyBulkPar} disabled={setBulk.isPending}>
              {t("products.applyPar")}
            </button>
          </div>
          {bulkParInvalid && <p className="text-sm text-red-700">{t("products.invalidQuantity")}</p>}
          <div className="flex gap-2">
            <SupplierSelect aria-label={t("products.supplierForSelected")} suppliers={suppliers.data} value={bulkSupplier} onChange={(id) => setBulkSupplier(id ?? "")} noneLabel={t("products.noSupplier")} />
            <button type="button" className={`${buttonClass("primary")} shrink-0`} onClick={() => setSupplier.mutate({ productIds: chosen, supplierId: bulkSupplier || null })}>
              {t("products.applySupplier")}
            </button>
          </div>
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
            <button type="button" className={buttonClass("secondary")} onClick={() => copyStock.mutate({ departmentId, productIds: chosen })} disabled={copyStock.isPending}>
              {t("products.copyStock")}
            </button>
            <button type="button" className={buttonClass("secondary")} onClick={() => setHidden.mutate({ departmentId, productIds: chosen, hidden: true })}>
              {t("products.hideSelected")}
            </button>
            <button type="button" className={buttonClass("secondary")} onClick={() => setHidden.mutate({ departmentId, productIds: chosen, hidden: false })}>
              {t("products.showSelected")}
            </button>
          </div>
        </section>
      )}

      {rowError?.productId === null && (
        <ErrorBox>
          {rowError.message}
        </ErrorBox>
      )}
      {notice && (
        <SuccessBox>
          {notice}
        </SuccessBox>
      )}

      {visible.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("products.noMatch", { search: search.trim() })}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {visible.map((r) => (
            <li key={r.productId} className={`rounded-2xl bg-white p-3 shadow-sm ${r.isHidden ? "opacity-60" : ""}`}>
              <div className="flex items-start gap-3">
                <input
                  type="checkbox"
                  className="mt-1 size-6 shrink-0"
                  aria-label={t("products.select", { name: r.name })}
                  checked={selected.has(r.productId)}
                  onChange={(e) => toggle(r.productId, e.target.checked)}
                />
                <div className="min-w-0 flex-1">
                  <p className="font-semibold">
                    {r.name}
                    {r.isHidden && <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium">{t("products.hidden")}</span>}
                    {r.isLocal && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium">{t("local")}</span>}
                  </p>
                  <p className="text-xs text-slate-500">
                    {r.categoryName ?? t("products.noCategory")} · {t("products.stock")}: {stockText(r)}
                  </p>
                </div>
              </div>
              <div className="mt-2 grid grid-cols-[7rem_1fr] gap-2">
                <ParInput
                  key={`${r.productId}:${quantityText(r.parLevel)}`}
                  label={t("products.parFor", { name: r.name })}
                  placeholder={t("products.par")}
                  value={r.parLevel}
                  invalidMessage={t("products.invalidQuantity")}
                  onSave={(parLevel) => setPar.mutate({ departmentId, items: [{ productId: r.productId, parLevel }] })}
                />
                <SupplierSelect
                  aria-label={t("products.supplierFor", { name: r.name })}
                  suppliers={suppliers.data}
                  value={r.supplierId}
                  chosenName={r.supplierName}
                  onChange={(supplierId) => setSupplier.mutate({ productIds: [r.productId], supplierId })}
                  noneLabel={r.fallbackSupplierName ? t("products.categoryDefault", { name: r.fallbackSupplierName }) : t("products.noSupplier")}
                />
              </div>
              <div className="mt-2 flex flex-wrap gap-2">
                <button
                  type="button"
                  aria-label={r.isHidden ? t("products.show", { name: r.name }) : t("products.hide", { name: r.name })}
                  className="h-11 rounded-lg border border-slate-300 px-3 text-sm font-medium"
                  onClick={() => setHidden.mutate({ departmentId, productIds: [r.productId], hidden: !r.isHidden })}
                >
                  {r.isHidden ? t("products.showSelected") : t("products.hideSelected")}
                </button>
                {r.isLocal && (
                  <button
                    type="button"
                    aria-label={t("products.archive", { name: r.name })}
                    className="h-11 rounded-lg border border-red-200 px-3 text-sm font-medium text-red-700"
                    disabled={archive.isPending}
                    onClick={() => window.confirm(t("products.archiveConfirm", { name: r.name })) && archive.mutate({ productId: r.productId })}
                  >
                    {t("suppliers.archive")}
                  </button>
                )}
              </div>
              {rowError?.productId === r.productId && (
                <p role="alert" className="mt-2 text-sm text-red-700">
                  {rowError.message}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {rows.hasNextPage ? (
        <button type="button" className={buttonClass("secondary", "self-center")} disabled={rows.isFetchingNextPage} onClick={() => void rows.fetchNextPage()}>
          {rows.isFetchingNextPage ? t("products.loadingMore") : t("products.loadMore")}
        </button>
      ) : null}
    </div>
  );
}

/** Saves on blur or Enter; invalid text stays in the box with a message and is never sent. */
function ParInput(props: { label: string; placeholder: string; value: string | null; invalidMessage: string; onSave: (value: string | null) => void }) {
  const [text, setText] = useState(quantityText(props.value));
  const [invalid, setInvalid] = useState(false);
  const commit = () => {
    const trimmed = text.trim();
    if (trimmed === quantityText(props.value)) return setInvalid(false);
    const parsed = trimmed === "" ? null : quantityInput.safeParse(trimmed);
    if (parsed && !parsed.success) return setInvalid(true);
    setInvalid(false);
    props.onSave(parsed ? parsed.data : null);
  };
  return (
    <div>
      <input
        inputMode="decimal"
        aria-label={props.label}
        aria-invalid={invalid || undefined}
        placeholder={props.placeholder}
        className={`${inputClass} ${invalid ? "border-red-500" : ""}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.currentTarget.blur();
        }}
      />
      {invalid && <p className="mt-1 text-xs text-red-700">{props.invalidMessage}</p>}
    </div>
  );
}
