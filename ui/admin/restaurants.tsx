"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";
import { useErrorText } from "@/ui/errors/describe";
import { Input, Select } from "@/ui/kit/input";
import { ReasonDialog } from "./reason-dialog";
import { WatchJob } from "./watch-job";

const CONNECTION_TONE: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  expiring: "bg-amber-100 text-amber-800",
  needs_reconnect: "bg-red-100 text-red-800",
  disconnected: "bg-slate-200 text-slate-700",
};

const FILTERS = ["all", "failing", "stale", "needs_reconnect", "paused", "disabled"] as const;
const SORTS = ["name", "last_sync", "errors"] as const;
type Filter = (typeof FILTERS)[number];
type Sort = (typeof SORTS)[number];

type Action = { kind: "forceSync" | "disable" | "enable"; id: string; name: string } | null;

/** Every restaurant, searched, filtered, sorted and paged on the server (50 at a time), with its actions. */
export function AdminRestaurants({ initialFilter = "all" }: { initialFilter?: Filter }) {
  const t = useTranslations("admin");
  const format = useFormatter();
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState<Filter>(initialFilter);
  const [sort, setSort] = useState<Sort>("name");
  const deferredSearch = useDeferredValue(search.trim());
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [action, setAction] = useState<Action>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [watching, setWatching] = useState<{ jobId: string; name: string } | null>(null);
  const list = useInfiniteQuery({
    ...trpc.admin.restaurants.infiniteQueryOptions(
      { filter, sort, ...(deferredSearch ? { search: deferredSearch } : {}) },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    refetchInterval: 30_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.restaurants.pathKey() });
  const done = (text: string) => {
    setAction(null);
    setActionError(null);
    setMessage({ tone: "ok", text });
  };
  const forceSync = useMutation(
    trpc.admin.forceSync.mutationOptions({
      onSuccess: (job, input) => {
        done(job.joined ? t("syncJoined") : t("syncQueued"));
        // Live progress of the sync it started (or joined).
        setWatching({ jobId: job.jobId, name: items.find((r) => r.id === input.restaurantId)?.name ?? "" });
      },
      onError: (err) => setActionError(describe(err)),
      onSettled: refresh,
    }),
  );
  const setDisabled = useMutation(
    trpc.admin.setDisabled.mutationOptions({
      onSuccess: (r) => done(r.disabledAt ? t("disabledDone") : t("enabledDone", { count: r.postingsQueued })),
      onError: (err) => setActionError(describe(err)),
      onSettled: refresh,
    }),
  );
  const [pausing, setPausing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const setPaused = useMutation(
    trpc.admin.setPaused.mutationOptions({
      onSuccess: (r) => {
        setPausing(null);
        setReason("");
        setMessage({ tone: "ok", text: r.status === "paused" ? t("pausedDone") : t("resumedDone", { count: r.postingsQueued }) });
      },
      onSettled: refresh,
      onError: (err) => setMessage({ tone: "error", text: describe(err) }),
    }),
  );

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const when = (d: Date | string | null) => (d ? format.relativeTime(new Date(d)) : "—");
  return (
    <section className="flex flex-col gap-3" aria-labelledby="admin-restaurants-title">
      <h2 id="admin-restaurants-title" className="text-xl font-semibold">
        {t("restaurantsTitle")}
      </h2>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="flex flex-1 flex-col gap-1 text-sm font-medium">
          {t("search")}
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("searchPlaceholder")} maxLength={100} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("sortBy")}
          <Select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sort.${s}`)}
              </option>
            ))}
          </Select>
        </label>
      </div>
      <div role="group" aria-label={t("filterLabel")} className="flex flex-wrap gap-2">
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
            className={`h-10 rounded-full px-3 text-sm font-medium ${filter === f ? "bg-slate-900 text-white" : "border border-slate-300 bg-white text-slate-700"}`}
          >
            {t(`filter.${f}`)}
          </button>
        ))}
      </div>
      {message && (
        <p role="status" className={`rounded-lg p-3 text-sm ${message.tone === "ok" ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
          {message.text}
        </p>
      )}
      {watching ? <WatchJob key={watching.jobId} jobId={watching.jobId} what={t("forceSyncFor", { name: watching.name })} onDone={refresh} /> : null}
      {list.isPending ? (
        <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />
      ) : list.isError ? (
        <LoadError title={t("loadError")} error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{filter === "all" && !deferredSearch ? t("empty") : t("noMatch")}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="admin-restaurant-list">
          {items.map((r) => (
            <li key={r.id} data-testid="admin-restaurant" className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm sm:flex-row sm:items-start">
              <div className="min-w-0 flex-1">
                <Link href={`/admin/restaurants/${r.id}`} className="font-semibold text-emerald-800 underline-offset-2 hover:underline">
                  {r.name}
                </Link>
                <p className="text-sm text-slate-600">
                  {r.accountNumber ?? "—"} ·{" "}
                  {r.lastSync
                    ? t("lastSyncFull", {
                        status: t(`runStatus.${r.lastSync.status}`),
                        when: when(r.lastSync.startedAt),
                        duration: r.lastSync.durationMs === null ? "—" : format.number(r.lastSync.durationMs / 1000, { maximumFractionDigits: 1 }),
                      })
                    : t("neverSynced")}
                  {r.nextSyncAt ? ` · ${t("nextSync", { when: when(r.nextSyncAt) })}` : ""}
                </p>
                <p className="text-sm text-slate-600">
                  {t("activeUsers", { count: r.activeUsers })} · {r.lastOrderAt ? t("lastOrder", { when: when(r.lastOrderAt) }) : t("noOrders")}
                </p>
                <div className="mt-1 flex flex-wrap gap-2 text-xs">
                  <span className={`rounded-full px-2 py-0.5 ${CONNECTION_TONE[r.connectionStatus ?? "disconnected"] ?? ""}`}>{t(`connection.${r.connectionStatus ?? "none"}`)}</span>
                  {r.disabledAt && <span className="rounded-full bg-red-800 px-2 py-0.5 text-white">{t("disabled")}</span>}
                  {r.status === "paused" && <span className="rounded-full bg-slate-800 px-2 py-0.5 text-white">{t("paused")}</span>}
                  {r.stale && <span className="rounded-full bg-amber-100 px-2 py-0.5 text-amber-900">{t("stale")}</span>}
                  <span className={`rounded-full px-2 py-0.5 ${r.errors24h > 0 ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-600"}`}>{t("errors24h", { count: r.errors24h })}</span>
                </div>
                {r.disabledAt && r.disabledReason ? <p className="mt-1 text-sm text-red-800">{t("disabledBecause", { reason: r.disabledReason })}</p> : null}
                {r.status === "paused" && r.pausedReason ? <p className="mt-1 text-sm text-slate-700">{t("pausedBecause", { reason: r.pausedReason })}</p> : null}
                {pausing === r.id ? (
                  <form
                    className="mt-2 flex flex-col gap-2"
                    onSubmit={(e) => {
                      e.preventDefault();
                      setPaused.mutate({ restaurantId: r.id, paused: true, reason: reason.trim() });
                    }}
                  >
                    <label className="flex flex-col gap-1 text-sm font-medium">
                      {t("pauseReason")}
                      <textarea className="min-h-20 rounded-lg border border-slate-300 p-2 text-base" required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
                    </label>
                    <p className="text-xs text-slate-600">{t("pauseEffect")}</p>
                    <div className="flex gap-2">
                      <button type="submit" className="h-11 rounded-lg bg-slate-800 px-3 text-sm font-semibold text-white disabled:opacity-50" disabled={setPaused.isPending || reason.trim().length < 3}>
                        {t("pauseConfirm")}
                      </button>
                      <button type="button" className="h-11 rounded-lg border border-slate-300 px-3 text-sm" onClick={() => setPausing(null)}>
                        {t("cancel")}
                      </button>
                    </div>
                  </form>
                ) : null}
              </div>
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className="h-11 rounded-lg bg-emerald-600 px-3 text-sm font-semibold text-white disabled:opacity-50"
                  disabled={forceSync.isPending || !!r.disabledAt}
                  onClick={() => setAction({ kind: "forceSync", id: r.id, name: r.name })}
                  aria-label={t("forceSyncFor", { name: r.name })}
                >
                  {t("forceSync")}
                </button>
                <button
                  type="button"
                  className="h-11 rounded-lg border border-slate-300 px-3 text-sm"
                  disabled={setPaused.isPending}
                  aria-label={r.status === "paused" ? t("resumeFor", { name: r.name }) : t("pauseFor", { name: r.name })}
                  onClick={() => {
                    if (r.status === "paused") setPaused.mutate({ restaurantId: r.id, paused: false });
                    else {
                      setReason("");
                      setPausing(r.id);
                    }
                  }}
                >
                  {r.status === "paused" ? t("resume") : t("pause")}
                </button>
                <button
                  type="button"
                  className="h-11 rounded-lg border border-red-300 px-3 text-sm text-red-700"
                  aria-label={r.disabledAt ? t("enableFor", { name: r.name }) : t("disableFor", { name: r.name })}
                  onClick={() => setAction({ kind: r.disabledAt ? "enable" : "disable", id: r.id, name: r.name })}
                >
                  {r.disabledAt ? t("enable") : t("disable")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage ? (
        <button type="button" className="h-11 self-center rounded-lg border border-slate-300 px-4 text-sm" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loading") : t("loadMore")}
        </button>
      ) : null}
      {action ? (
        <ReasonDialog
          open
          title={t(`actions.${action.kind}.title`, { name: action.name })}
          description={t(`actions.${action.kind}.description`)}
          confirmLabel={t(`actions.${action.kind}.confirm`)}
          danger={action.kind === "disable"}
          pending={forceSync.isPending || setDisabled.isPending}
          error={actionError}
          onClose={() => {
            setAction(null);
            setActionError(null);
          }}
          onConfirm={(why) => {
            if (action.kind === "forceSync") forceSync.mutate({ restaurantId: action.id, reason: why });
            else setDisabled.mutate({ restaurantId: action.id, disabled: action.kind === "disable", reason: why });
          }}
        />
      ) : null}
    </section>
  );
}
