"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import type { SavedLine } from "@/server/checklist";
import { decodeChecklist, withDraftQuantity } from "@/server/checklist/wire";
import { parseQuantity } from "@/vocabulary/quantity";
import { useTRPC } from "@/ui/trpc/react";
import { useDraftSync, type SyncStatus } from "./draft-sync";
import { FILTERS, groupProducts, isFilter, type ChecklistFilter } from "./groups";
import { ProductRow } from "./product-row";
import { SubmitDialog } from "./submit-dialog";
import { useErrorText } from "@/ui/errors/describe";
import { LoadError } from "@/ui/errors/load-error";
import { ChoiceGroup } from "@/ui/kit/choice";

const STATUS_STYLE: Record<SyncStatus, string> = {
  saved: "text-emerald-700",
  saving: "text-slate-600",
  offline: "text-amber-800",
  error: "text-red-700",
};

export function Checklist({ departmentId, userId }: { departmentId: string; userId: string }) {
  const t = useTranslations("checklist");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const queryOptions = trpc.checklist.department.queryOptions({ departmentId });
  // The answer is compact on the wire (server/checklist/wire.ts); rows are decoded once per answer.
  const checklist = useQuery({ ...queryOptions, staleTime: 10_000, select: decodeChecklist });
  const current = useQuery(trpc.restaurant.current.queryOptions());

  const [texts, setTexts] = useState<Record<string, string>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  // Lines another device had changed before this one's edit landed (the last write wins; the row says so).
  const [replaced, setReplaced] = useState<Record<string, { other: string; mine: string }>>({});
  // The search and the filter live in the address, so a reload (or a phone waking the tab) keeps them.
  const params = useSearchParams();
  const [search, setSearch] = useState(() => params.get("q") ?? "");
  const [filter, setFilter] = useState<ChecklistFilter>(() => {
    const f = params.get("show");
    return isFilter(f) ? f : "all";
  });
  useEffect(() => {
    const url = new URL(window.location.href);
    if (search) url.searchParams.set("q", search);
    else url.searchParams.delete("q");
    if (filter !== "all") url.searchParams.set("show", filter);
    else url.searchParams.delete("show");
    // Not router.replace: that would re-render the server page on every keystroke.
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [search, filter]);
  const deferredSearch = useDeferredValue(search);
  const locale = useLocale();
  const [submitOpen, setSubmitOpen] = useState(false);

  const onSaved = useCallback(
    (line: SavedLine) => {
      const { replaced: other } = line;
      if (other !== null) setReplaced((r) => ({ ...r, [line.productId]: { other, mine: line.quantity } }));
      queryClient.setQueryData(queryOptions.queryKey, (old) => (old ? withDraftQuantity(old, line.productId, line.quantity === "0" ? null : line.quantity) : old));
      // The dashboard's "in your draft" counts: refetched when it is next shown.
      void queryClient.invalidateQueries({ queryKey: trpc.checklist.dashboard.queryKey() });
    },
    [queryClient, queryOptions.queryKey, trpc],
  );
  const errorText = useErrorText();
  const onRejected = useCallback(
    (productId: string, error: unknown) => {
      // Roll back to what the server has: drop the typed text, show why in the reader's language.
      setTexts(({ [productId]: _, ...rest }) => rest);
      setRowErrors((e) => ({ ...e, [productId]: errorText(error) }));
    },
    [errorText],
  );
  const sync = useDraftSync({ userId, departmentId, onSaved, onRejected });

  const products = useMemo(() => checklist.data?.products ?? [], [checklist.data]);
  const quantityOf = useCallback(
    (productId: string, draftQuantity: string | null) => sync.pending[productId] ?? draftQuantity ?? "0",
    [sync.pending],
  );
  // Callbacks read the latest quantities through a ref, so 500 memoised rows do not re-render on every keystroke.
  const quantities = useMemo(() => new Map(products.map((p) => [p.productId, quantityOf(p.productId, p.draftQuantity)])), [products, quantityOf]);
  const quantitiesRef = useRef(quantities);
  // What the server had when this device last heard: an edit says it started from there.
  const serverQuantitiesRef = useRef(new Map<string, string>());
  useEffect(() => {
    quantitiesRef.current = quantities;
    serverQuantitiesRef.current = new Map(products.map((p) => [p.productId, p.draftQuantity ?? "0"]));
  }, [quantities, products]);

  const { edit: editLine } = sync;
  const edit = useCallback((productId: string, quantity: string) => editLine(productId, quantity, serverQuantitiesRef.current.get(productId) ?? "0"), [editLine]);
  const clearRowError = useCallback((productId: string) => {
    setRowErrors(({ [productId]: _, ...rest }) => rest);
    setReplaced(({ [productId]: _, ...rest }) => rest);
  }, []);
  const onType = useCallback(
    (productId: string, text: string) => {
      setTexts((prev) => ({ ...prev, [productId]: text }));
      clearRowError(productId);
      const parsed = parseQuantity(text);
      if (parsed.ok && parsed.value !== quantitiesRef.current.get(productId)) edit(productId, parsed.value);
    },
    [edit, clearRowError],
  );
  const onSet = useCallback(
    (productId: string, quantity: string) => {
      setTexts(({ [productId]: _, ...rest }) => rest);
      clearRowError(productId);
      if (quantity !== quantitiesRef.current.get(productId)) edit(productId, quantity);
    },
    [edit, clearRowError],
  );
  const onBlur = useCallback((productId: string) => {
    setTexts((prev) => {
      const text = prev[productId];
      if (text === undefined || !parseQuantity(text).ok) return prev;
      const { [productId]: _, ...rest } = prev;
      return rest;
    });
  }, []);

  const submit = useMutation(
    trpc.checklist.submit.mutationOptions({
      onSuccess: async (request) => {
        await queryClient.invalidateQueries({ queryKey: trpc.checklist.pathKey() });
        router.push(`/?submitted=${request.alreadySubmitted ? "again" : "1"}`);
      },
    }),
  );
  const [flushFailed, setFlushFailed] = useState(false);
  const onConfirm = useCallback(
    async (note: string) => {
      setFlushFailed(false);
      // Everything typed must be on the server before the draft becomes a request.
      if (!(await sync.flushAll())) {
        setFlushFailed(true);
        return;
      }
      submit.mutate({ departmentId, note: note.trim() || undefined });
    },
    [sync, submit, departmentId],
  );

  const groups = useMemo(
    () => groupProducts(products, { needle: deferredSearch, filter, locale, quantityOf: (p) => quantities.get(p.productId) ?? "0" }),
    [products, deferredSearch, filter, locale, quantities],
  );
  const lineCount = useMemo(() => [...quantities.values()].filter((q) => q !== "0").length, [quantities]);
  const display = (q: string) => (q === "0" ? "" : format.number(Number(q), { maximumFractionDigits: 3, useGrouping: false }));

  if (checklist.isPending) {
    return (
      <div aria-busy="true" aria-label={t("loading")} className="flex flex-col gap-3">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-40 animate-pulse rounded-2xl bg-slate-200" />
        ))}
      </div>
    );
  }
  if (checklist.isError) {
    return <LoadError title={t("loadError")} error={checklist.error} onRetry={() => void checklist.refetch()} />;
  }

  const { department } = checklist.data;
  const showBack = (current.data?.departments.length ?? 0) > 1;
  return (
    <section className="flex flex-col gap-3 pb-28">
      <div className="flex items-center justify-between gap-2">
        <div>
          {showBack && (
            <Link href="/" className="inline-flex h-11 items-center text-sm text-emerald-700 underline">
              ← {t("back")}
            </Link>
          )}
          <h1 className="text-2xl font-semibold">{department.name}</h1>
          <p className="text-sm text-slate-600">{t("productCount", { count: products.length })}</p>
        </div>
      </div>

      <div className="sticky top-[61px] z-[6] -mx-4 flex h-[6.5rem] flex-col gap-2 bg-slate-50/95 px-4 py-2 backdrop-blur">
        <label className="sr-only" htmlFor="checklist-search">
          {t("searchLabel")}
        </label>
        <div className="relative">
          <input
            id="checklist-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t("searchPlaceholder", { department: department.name })}
            className="h-12 w-full rounded-xl border border-slate-300 bg-white px-3 pr-12 text-base"
            autoComplete="off"
          />
          {search && (
            <button
              type="button"
              onClick={() => setSearch("")}
              aria-label={t("clearSearch")}
              className="absolute right-0 top-0 h-12 w-12 text-xl text-slate-500"
            >
              ×
            </button>
          )}
        </div>
        <ChoiceGroup label={t("filter.label")} options={FILTERS.map((f) => ({ value: f, label: t(`filter.${f}`) }))} value={filter} onChange={setFilter} />
      </div>

      {products.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("empty")}</p>
      ) : groups.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{search.trim() ? t("noResults", { query: search.trim() }) : t(`filterEmpty.${filter}`)}</p>
      ) : (
        <div className="-mx-4 flex flex-col">
          {groups.map((g) => (
            <section key={g.id ?? "none"} aria-labelledby={`cat-${g.id ?? "none"}`}>
              {/* Sticks under the search bar (61 px header + 6.5 rem toolbar) while its products scroll by. */}
              <h2
                id={`cat-${g.id ?? "none"}`}
                className="sticky top-[calc(61px+6.5rem)] z-[5] flex justify-between border-b border-slate-200 bg-slate-100 px-4 py-1 text-sm font-semibold text-slate-700"
              >
                <span>{g.name ?? t("noCategory")}</span>
                <span className="font-normal text-slate-600">{g.products.length}</span>
              </h2>
              <ul aria-label={g.name ?? t("noCategory")}>
          {g.products.map((p) => {
            const quantity = quantities.get(p.productId) ?? "0";
            return (
              <ProductRow
                key={p.productId}
                product={p}
                quantity={quantity}
                text={texts[p.productId] ?? display(quantity)}
                serverError={rowErrors[p.productId] ?? null}
                notice={replaced[p.productId] ? t("replacedElsewhere", { other: display(replaced[p.productId]!.other) || "0", mine: display(replaced[p.productId]!.mine) || "0" }) : null}
                onType={onType}
                onSet={onSet}
                onBlur={onBlur}
              />
            );
          })}
              </ul>
            </section>
          ))}
        </div>
      )}

      <div className="fixed inset-x-0 bottom-0 z-10 border-t border-slate-200 bg-white/95 px-4 py-2 backdrop-blur">
        <div className="mx-auto flex max-w-3xl items-center gap-3">
          <div className="min-w-0 flex-1">
            <p role="status" aria-live="polite" data-testid="draft-status" className={`text-sm font-medium ${STATUS_STYLE[sync.status]}`}>
              {t(`status.${sync.status}`)}
            </p>
            <p className="truncate text-xs text-slate-600">{t("inDraft", { count: lineCount })}</p>
          </div>
          <button
            type="button"
            onClick={() => setSubmitOpen(true)}
            disabled={lineCount === 0}
            className="h-12 shrink-0 rounded-xl bg-emerald-600 px-4 font-semibold text-white disabled:bg-slate-300"
          >
            {t("submit")}
          </button>
        </div>
      </div>

      <SubmitDialog
        open={submitOpen}
        onClose={() => {
          setSubmitOpen(false);
          setFlushFailed(false);
          submit.reset();
        }}
        onConfirm={onConfirm}
        pending={submit.isPending}
        lineCount={lineCount}
        departmentName={department.name}
        error={flushFailed ? t("submitOffline") : submit.error ? t("submitError", { message: errorText(submit.error) }) : null}
      />
    </section>
  );
}
