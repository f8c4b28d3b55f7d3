"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";
import { useErrorText } from "@/ui/errors/describe";
import { ReasonDialog } from "./reason-dialog";
import { label } from "./labels";
import { WatchJob } from "./watch-job";

type Translate = ReturnType<typeof useTranslations<"admin">>;

type Pending = { kind: "replayJob"; id: string; what: string } | { kind: "replayWebhook"; id: string; what: string } | { kind: "retryPosting"; id: string; what: string } | null;

/** One restaurant for an operator: state, sync runs, jobs, webhooks, supply postings and audit, each readable; replay and retry here. */
export function AdminRestaurantDetail({ restaurantId }: { restaurantId: string }) {
  const t = useTranslations("admin");
  const format = useFormatter();
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery({ ...trpc.admin.restaurant.queryOptions({ restaurantId }), refetchInterval: 15_000 });
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [watching, setWatching] = useState<{ jobId: string; what: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.restaurant.queryKey({ restaurantId }) });
  const started = (jobId: string, what: string) => {
    setPending(null);
    setActionError(null);
    setWatching({ jobId, what });
  };
  const onError = (err: unknown) => setActionError(describe(err));
  const replayJob = useMutation(trpc.admin.replayJob.mutationOptions({ onSuccess: (r) => started(r.jobId, label(t, "jobKind", r.kind)), onError, onSettled: refresh }));
  const replayWebhook = useMutation(trpc.admin.replayWebhook.mutationOptions({ onSuccess: (r) => started(r.jobId, t("webhook")), onError, onSettled: refresh }));
  const retryPosting = useMutation(
    trpc.admin.retryPosting.mutationOptions({
      onSuccess: () => {
        setPending(null);
        setActionError(null);
      },
      onError,
      onSettled: refresh,
    }),
  );
  const when = (d: Date | string | null) => (d ? format.dateTime(new Date(d), { dateStyle: "short", timeStyle: "medium" }) : "—");
  const seconds = (ms: number | null) => (ms === null ? "—" : t("seconds", { value: format.number(ms / 1000, { maximumFractionDigits: 1 }) }));

  if (detail.isPending) return <div className="h-40 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (detail.isError) return <LoadError title={t("logsLoadError")} error={detail.error} onRetry={() => void detail.refetch()} />;
  const { restaurant, syncRuns, jobs, webhooks, postings, audit } = detail.data;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/admin" className="text-sm text-emerald-800 underline-offset-2 hover:underline">
          ← {t("title")}
        </Link>
        <h1 className="text-2xl font-semibold">{restaurant.name}</h1>
        <p className="text-sm text-slate-600">
          {t("account", { number: restaurant.accountNumber ?? "—", login: restaurant.accountLogin ?? "—" })} · {label(t, "connection", restaurant.connectionStatus ?? "none")}
          {restaurant.connectionCheckedAt ? ` · ${t("checked", { when: when(restaurant.connectionCheckedAt) })}` : ""}
        </p>
        {restaurant.disabledAt ? <p className="mt-1 rounded-lg bg-red-50 p-2 text-sm text-red-800">{t("disabledSince", { when: when(restaurant.disabledAt), reason: restaurant.disabledReason ?? "—" })}</p> : null}
        {restaurant.status === "paused" ? <p className="mt-1 rounded-lg bg-slate-100 p-2 text-sm">{t("pausedBecause", { reason: restaurant.pausedReason ?? "—" })}</p> : null}
      </div>

      {watching ? <WatchJob jobId={watching.jobId} what={watching.what} onDone={refresh} /> : null}

      <Section title={t("syncRuns")} empty={t("none")} count={syncRuns.length}>
        {syncRuns.map((r) => (
          <Row key={r.id} when={when(r.startedAt)} what={`${label(t, "trigger", r.trigger)} · ${r.scope === "full" ? t("scopeFull") : r.scope} · ${label(t, "runStatus", r.status)} · ${seconds(r.durationMs)}`} tone={r.status === "failed" ? "bad" : undefined}>
            <span className="text-slate-600">{r.error ?? (summarize(r.counts, t) || t("noChanges"))}</span>
            {runNotes(r, t).map((note) => (
              <span key={note} className="break-all text-amber-800 sm:basis-full">
                {note}
              </span>
            ))}
          </Row>
        ))}
      </Section>

      <Section title={t("jobs")} empty={t("none")} count={jobs.length}>
        {jobs.map((j) => (
          <Row key={j.id} when={when(j.createdAt)} what={`${label(t, "jobKind", j.kind)} · ${label(t, "jobStatus", j.status)} · ${t("attempts", { count: j.attempts, max: j.maxAttempts })}`} tone={j.replayable ? "bad" : undefined}>
            {j.error ? <span className="break-all text-slate-600">{j.error}</span> : null}
            {j.replayable ? (
              <button type="button" className="h-10 rounded-lg bg-emerald-600 px-3 text-sm font-semibold text-white" aria-label={t("replayJobFor", { kind: label(t, "jobKind", j.kind) })} onClick={() => setPending({ kind: "replayJob", id: j.id, what: label(t, "jobKind", j.kind) })}>
                {t("replay")}
              </button>
            ) : null}
          </Row>
        ))}
      </Section>

      <Section title={t("webhooks")} empty={t("none")} count={webhooks.length}>
        {webhooks.map((w) => (
          <Row key={w.id} when={when(w.receivedAt)} what={`${label(t, "hookObject", w.object)} ${w.objectId ?? ""} · ${label(t, "hookAction", w.action)} · ${label(t, "hookOutcome", w.outcome)}${w.jobStatus ? ` · ${label(t, "jobStatus", w.jobStatus)}` : ""}`} tone={w.replayable || !w.verified ? "bad" : undefined}>
            <span className="text-slate-600">{w.verified ? (w.error ?? "") : t("unverified")}</span>
            {w.payload ? (
              <details className="sm:basis-full">
                <summary className="cursor-pointer text-sm text-emerald-800">{t("payload")}</summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded-lg bg-slate-50 p-2 text-xs">{JSON.stringify(w.payload, null, 2)}</pre>
              </details>
            ) : null}
            {w.replayable ? (
              <button type="button" className="h-10 rounded-lg bg-emerald-600 px-3 text-sm font-semibold text-white" onClick={() => setPending({ kind: "replayWebhook", id: w.id, what: t("webhook") })}>
                {t("replay")}
              </button>
            ) : null}
          </Row>
        ))}
      </Section>

      <Section title={t("postings")} empty={t("none")} count={postings.length}>
        {postings.map((p) => (
          <Row
            key={p.id}
            when={when(p.createdAt)}
            what={`${t("postingWhat", { number: p.orderNumber, supplier: p.supplierName ?? "—", department: p.departmentName ?? "—" })} · ${label(t, "postingStatus", p.status)} · ${t("attempts", { count: p.attempts, max: "∞" })}`}
            tone={p.status === "failed" ? "bad" : undefined}
          >
            <span className="break-all text-slate-600">{p.lastError ?? (p.posterSupplyId ? t("posterSupply", { id: p.posterSupplyId }) : "")}</span>
            {p.retryable ? (
              <button type="button" className="h-10 rounded-lg border border-slate-300 px-3 text-sm" onClick={() => setPending({ kind: "retryPosting", id: p.id, what: t("postingWhat", { number: p.orderNumber, supplier: p.supplierName ?? "—", department: p.departmentName ?? "—" }) })}>
                {t("retryPosting")}
              </button>
            ) : null}
          </Row>
        ))}
      </Section>

      <Section title={t("audit")} empty={t("none")} count={audit.length}>
        {audit.map((a) => (
          <Row key={a.id} when={when(a.createdAt)} what={`${a.actor ?? t("system")} · ${label(t, "auditAction", a.action)}${a.target ? ` · ${a.target}` : ""}`}>
            {typeof a.data?.reason === "string" ? <span className="text-slate-600">{t("because", { reason: a.data.reason })}</span> : null}
          </Row>
        ))}
      </Section>

      {pending ? (
        <ReasonDialog
          open
          title={t(`actions.${pending.kind}.title`, { name: pending.what })}
          description={t(`actions.${pending.kind}.description`)}
          confirmLabel={t(`actions.${pending.kind}.confirm`)}
          pending={replayJob.isPending || replayWebhook.isPending || retryPosting.isPending}
          error={actionError}
          onClose={() => {
            setPending(null);
            setActionError(null);
          }}
          onConfirm={(reason) => {
            if (pending.kind === "replayJob") replayJob.mutate({ jobId: pending.id, reason });
            else if (pending.kind === "replayWebhook") replayWebhook.mutate({ eventId: pending.id, reason });
            else retryPosting.mutate({ restaurantId, postingId: pending.id, reason });
          }}
        />
      ) : null}
    </div>
  );
}

/** Only what happened: "products: added 3, skipped 1 · stock: changed 12". */
function summarize(counts: Record<string, Record<string, number>> | null, t: Translate): string {
  if (!counts) return "";
  return Object.entries(counts)
    .flatMap(([entity, c]) => {
      const nonZero = Object.entries(c).filter(([, v]) => v !== 0);
      return nonZero.length > 0 ? [`${label(t, "entity", entity)}: ${nonZero.map(([k, v]) => `${label(t, "change", k)} ${v}`).join(", ")}`] : [];
    })
    .join(" · ");
}

interface RunRecord {
  counts: Record<string, Record<string, number>> | null;
  skippedReasons: string[] | null;
  settingsChanges: Record<string, { from: string; to: string }> | null;
}

/** The rows Poster sent unreadable (how many, the first reasons) and the settings the run refreshed. */
function runNotes(run: RunRecord, t: Translate): string[] {
  const notes: string[] = [];
  const skipped = Object.values(run.counts ?? {}).reduce((n, c) => n + (c.skipped ?? 0), 0);
  if (skipped > 0) notes.push(`${t("skippedRows", { count: skipped })} ${(run.skippedReasons ?? []).join("; ")}`);
  const changes = Object.entries(run.settingsChanges ?? {});
  if (changes.length > 0) notes.push(`${t("settingsChanged")} ${changes.map(([field, c]) => `${label(t, "settingsField", field)}: ${c.from} → ${c.to}`).join(", ")}`);
  return notes;
}

function Section({ title, empty, count, children }: { title: string; empty: string; count: number; children: React.ReactNode }) {
  return (
    <section aria-label={title}>
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {count === 0 ? <p className="text-sm text-slate-500">{empty}</p> : <ul className="divide-y divide-slate-100 rounded-2xl bg-white text-sm shadow-sm">{children}</ul>}
    </section>
  );
}

function Row({ when, what, tone, children }: { when: string; what: string; tone?: "bad" | undefined; children?: React.ReactNode }) {
  return (
    <li className={`flex flex-col gap-1 p-3 sm:flex-row sm:flex-wrap sm:items-center sm:gap-x-3 ${tone === "bad" ? "bg-red-50/50" : ""}`}>
      <span className="shrink-0 text-slate-500 tabular-nums">{when}</span>
      <span className="font-medium">{what}</span>
      {children}
    </li>
  );
}
