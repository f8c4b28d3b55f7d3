"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { useErrorText } from "@/ui/errors/describe";
import { useTRPC, useTRPCClient } from "@/ui/trpc/react";
import { isStaleOrderError, useOrderEdits, type OrderEdits } from "./order-edits";
import { ReceivePanel } from "./receive-panel";
import { SendPanel } from "./send-panel";
import { buttonClass } from "@/ui/kit/button";
import { useFormat, usePermissions } from "@/ui/kit/hooks";
import { inputClass } from "@/ui/kit/input";
import type { OrderStatus } from "@/vocabulary/constants";
import { decimalSign, compareQuantities, normalizeDecimal, STORED_QUANTITY_PATTERN } from "@/vocabulary/quantity";
import { StatusBadge } from "./shared";
import type { OrderDetailData, OrderLine } from "./types";
import { LoadError } from "@/ui/errors/load-error";

export function OrderDetail({ orderId }: { orderId: string }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const fmt = useFormat();
  const tErrors = useTranslations("errors");
  const { can } = usePermissions();
  const [receiving, setReceiving] = useState(false);
  // A stale edit was refused and the order reloaded: say so, and rebuild the receive form from the new state.
  const [stale, setStale] = useState(false);
  const [formGeneration, setFormGeneration] = useState(0);
  const onStale = useCallback(() => {
    setStale(true);
    setFormGeneration((g) => g + 1);
  }, []);
  const edits = useOrderEdits(orderId, onStale);
  const order = useQuery({
    ...trpc.orders.get.queryOptions({ orderId }),
    // Postings finish in the background: look again while one is on its way.
    refetchInterval: (q) => (q.state.data?.postings.some((p) => p.status === "pending" || p.status === "posting") ? 3000 : false),
  });

  if (order.isPending) return <div className="h-48 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (order.isError) return <LoadError title={t("loadError")} error={order.error} onRetry={() => void order.refetch()} />;

  const o = order.data;
  const status = o.status as OrderStatus;
  const editable = status === "draft" && can("orders.manage");
  return (
    <section className="flex flex-col gap-4">
      <Link href="/orders" className="text-sm font-medium text-emerald-700">
        ← {t("back")}
      </Link>
      <header className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">{o.supplier.name}</h1>
          <StatusBadge status={status} />
        </div>
        <p className="text-slate-600">
          {t("number", { number: o.number })} · {t("deliveryOn", { date: fmt.date(o.deliveryDate) })}
        </p>
        {o.sentAt && o.sentChannel ? <p className="text-sm text-slate-600">{t("send.sentAt", { date: fmt.dateTime(o.sentAt), channel: t(`channel.${o.sentChannel}`) })}</p> : null}
      </header>

      {stale ? (
        <div role="alert" data-testid="order-changed" className="flex items-start gap-2 rounded-2xl bg-amber-50 p-4 text-amber-900">
          <p className="flex-1">{tErrors("reason.order_changed")}</p>
          <button type="button" className="h-11 rounded-lg px-3 text-sm font-medium" aria-label={tErrors("dismiss")} onClick={() => setStale(false)}>
            ×
          </button>
        </div>
      ) : null}

      {o.duplicates.length > 0 && (status === "draft" || status === "sent") ? (
        <p role="alert" className="rounded-2xl bg-amber-50 p-4 text-amber-900">
          {t("detail.duplicate", { numbers: o.duplicates.map((d) => `№${d.number}`).join(", ") })}
        </p>
      ) : null}

      {o.requestNotes.length > 0 ? (
        <section aria-labelledby="request-notes-title" data-testid="request-notes" className="flex flex-col gap-2 rounded-2xl bg-amber-50 p-4">
          <h2 id="request-notes-title" className="font-semibold text-amber-950">
            {t("detail.requestNotes")}
          </h2>
          <ul className="flex flex-col gap-2">
            {o.requestNotes.map((n) => (
              <li key={n.requestId} className="flex flex-col">
                <span className="whitespace-pre-line text-slate-900">{n.note}</span>
                <span className="text-sm text-slate-600">{t("requests.byline", { author: n.authorName, department: n.departmentName })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Lines order={o} editable={editable} edits={edits} />
      {editable ? <OrderFields key={formGeneration} order={o} edits={edits} /> : o.note ? <p className="rounded-2xl bg-white p-4 text-slate-700">{o.note}</p> : null}

      {(status === "draft" || status === "sent") && can("orders.send") ? <SendPanel order={o} edits={edits} /> : null}

      {(status === "sent" || status === "partially_received") && can("orders.receive") ? (
        receiving ? (
          <ReceivePanel key={formGeneration} order={o} edits={edits} onClose={() => setReceiving(false)} />
        ) : (
          <button type="button" className={buttonClass("primary")} onClick={() => setReceiving(true)}>
            {t("receive.start")}
          </button>
        )
      ) : null}

      <Postings order={o} />
      <Timeline order={o} />
      {(status === "draft" || status === "sent") && can("orders.manage") ? <CancelOrder orderId={o.id} edits={edits} /> : null}
    </section>
  );
}

function useInvalidateOrder(orderId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.orders.get.queryKey({ orderId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() });
  };
}

function Lines({ order, editable, edits }: { order: OrderDetailData; editable: boolean; edits: OrderEdits }) {
  const t = useTranslations("orders");
  return (
    <section aria-labelledby="lines-title" className="flex flex-col gap-2">
      <h2 id="lines-title" className="text-lg font-semibold">
        {t("detail.lines")}
      </h2>
      <ul className="flex flex-col gap-2">
        {order.lines.map((l) => (
          <LineRow key={l.id} orderId={order.id} line={l} editable={editable && l.status === "open"} edits={edits} />
        ))}
      </ul>
    </section>
  );
}

/** A stored quantity as the field shows it: "2.500" → "2.5". */
const shownQuantity = (q: string) => normalizeDecimal(q) ?? q;
/** A typed order quantity ("2,5") in canonical form, or null when numeric(14,3) cannot hold it. */
const typedOrderQuantity = (text: string) => {
  const s = text.replace(/\s/g, "").replace(",", ".");
  return STORED_QUANTITY_PATTERN.test(s) ? shownQuantity(s) : null;
};

function LineRow({ orderId, line, editable, edits }: { orderId: string; line: OrderLine; editable: boolean; edits: OrderEdits }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const describe = useErrorText();
  const fmt = useFormat();
  const invalidate = useInvalidateOrder(orderId);
  const [text, setText] = useState(shownQuantity(line.quantity));
  // The quantity changed on the server (another tab, a reload after a refused edit): show it.
  const [shown, setShown] = useState(line.quantity);
  if (shown !== line.quantity) {
    setShown(line.quantity);
    setText(shownQuantity(line.quantity));
  }
  const key = trpc.orders.get.queryKey({ orderId });

  // Optimistic: the row changes at once and comes back if the server says no.
  const patchLine = async (patch: Partial<OrderLine>) => {
    await queryClient.cancelQueries({ queryKey: key });
    const previous = queryClient.getQueryData(key);
    queryClient.setQueryData(key, (old) => (old ? { ...old, lines: old.lines.map((l) => (l.id === line.id ? { ...l, ...patch } : l)) } : old));
    return { previous };
  };
  const rollback = (err: unknown, _v: unknown, ctx: { previous: OrderDetailData | undefined } | undefined) => {
    if (ctx?.previous) queryClient.setQueryData(key, { ...ctx.previous, version: queryClient.getQueryData(key)?.version ?? ctx.previous.version });
    edits.refusedAsStale(err);
  };
  const update = useMutation({
    scope: edits.scope,
    mutationFn: (v: { quantity: string }) => client.orders.updateLine.mutate({ orderId, lineId: line.id, quantity: v.quantity, version: edits.version() }),
    onMutate: (v) => patchLine({ quantity: v.quantity }),
    onSuccess: (r) => edits.saw(r.version),
    onError: rollback,
    onSettled: invalidate,
  });
  const remove = useMutation({
    scope: edits.scope,
    mutationFn: () => client.orders.removeLine.mutate({ orderId, lineId: line.id, version: edits.version() }),
    onMutate: () => patchLine({ status: "cancelled" }),
    onSuccess: (r) => edits.saw(r.version),
    onError: rollback,
    onSettled: invalidate,
  });

  const save = () => {
    const q = typedOrderQuantity(text);
    if (q === null || decimalSign(q) !== 1 || compareQuantities(q, line.quantity) === 0) return;
    update.mutate({ quantity: q });
  };
  const cancelled = line.status === "cancelled";
  return (
    <li className={`flex flex-col gap-2 rounded-2xl bg-white p-3 shadow-sm ${cancelled ? "opacity-60" : ""}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-1">
        <span className={`font-medium ${cancelled ? "line-through" : ""}`}>{line.name}</span>
        <span className="text-sm text-slate-600">
          {t("detail.department", { department: line.departmentName })}
          {line.isLocalProduct ? ` · ${t("detail.localProduct")}` : ""}
        </span>
      </div>
      {editable ? (
        <div className="flex items-center gap-2">
          <input
            inputMode="decimal"
            aria-label={t("detail.quantityFor", { name: line.name })}
            aria-invalid={typedOrderQuantity(text) === null}
            className={`${inputClass} max-w-32`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onBlur={save}
            onKeyDown={(e) => {
              if (e.key === "Enter") save();
            }}
          />
          <span>{fmt.unit(line.unit)}</span>
          <button type="button" className={`${buttonClass("secondary")} ml-auto`} aria-label={t("detail.removeLine", { name: line.name })} onClick={() => remove.mutate()}>
            ✕
          </button>
        </div>
      ) : (
        <p className="text-slate-700">
          {fmt.quantity(line.quantity, line.unit)}
          {decimalSign(line.receivedQuantity) === 1 ? ` · ${t("detail.received", { quantity: fmt.quantity(line.receivedQuantity, line.unit) })}` : ""}
          {line.priceMinor !== null && decimalSign(line.receivedQuantity) === 1 ? ` · ${fmt.money(line.priceMinor)}` : ""}
          {cancelled ? ` · ${t("detail.removed")}` : line.status !== "open" && line.status !== "received" ? ` · ${t(`receive.${line.status === "returned" ? "return" : "cancel"}`)}` : ""}
        </p>
      )}
      {(update.error || remove.error) && !isStaleOrderError(update.error ?? remove.error) ? <p role="alert" className="text-sm text-red-700">{t("detail.saveError", { message: describe(update.error ?? remove.error) })}</p> : null}
    </li>
  );
}

function OrderFields({ order, edits }: { order: OrderDetailData; edits: OrderEdits }) {
  const t = useTranslations("orders");
  const client = useTRPCClient();
  const describe = useErrorText();
  const invalidate = useInvalidateOrder(order.id);
  const [note, setNote] = useState(order.note ?? "");
  const [date, setDate] = useState(order.deliveryDate);
  const update = useMutation({
    scope: edits.scope,
    mutationFn: (v: { note: string | null; deliveryDate?: string }) => client.orders.update.mutate({ orderId: order.id, ...v, version: edits.version() }),
    onSuccess: (r) => edits.saw(r.version),
    onError: (err) => edits.refusedAsStale(err),
    onSettled: invalidate,
  });
  const dirty = note !== (order.note ?? "") || date !== order.deliveryDate;
  return (
    <form
      className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ note: note.trim() || null, ...(date && date !== order.deliveryDate ? { deliveryDate: date } : {}) });
      }}
    >
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("detail.note")}
        <textarea className={`${inputClass} h-auto min-h-20 py-2`} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("detail.deliveryDate")}
        <input type="date" className={inputClass} value={date} required onChange={(e) => setDate(e.target.value)} />
      </label>
      <button type="submit" className={buttonClass("secondary")} disabled={!dirty || update.isPending}>
        {t("detail.save")}
      </button>
      <div aria-live="polite">
        {update.isSuccess && !dirty ? <p className="text-sm text-emerald-800">{t("detail.saved")}</p> : null}
        {update.error && !isStaleOrderError(update.error) ? <p className="text-sm text-red-700">{t("detail.saveError", { message: describe(update.error) })}</p> : null}
      </div>
    </form>
  );
}

function Postings({ order }: { order: OrderDetailData }) {
  const t = useTranslations("orders");
  const describe = useErrorText();
  const trpc = useTRPC();
  const { can } = usePermissions();
  const invalidate = useInvalidateOrder(order.id);
  const retry = useMutation(trpc.orders.retryPosting.mutationOptions({ onSettled: invalidate }));
  // Paused by the platform: waiting postings are not sent to Poster until it resumes.
  const paused = !!useQuery({ ...trpc.jobs.connection.queryOptions(), staleTime: 60_000, retry: false }).data?.pause;
  if (order.postings.length === 0) return null;
  return (
    <section aria-labelledby="postings-title" className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="postings-title" className="text-lg font-semibold">
        {t("posting.title")}
      </h2>
      <ul className="flex flex-col gap-2">
        {order.postings.map((p) => (
          <li key={p.id} data-testid="posting" data-status={p.status} className="flex flex-col gap-1">
            <span className="font-medium">{t("posting.for", { department: p.departmentName })}</span>
            <span className={p.status === "failed" ? "text-red-700" : p.status === "posted" ? "text-emerald-800" : "text-slate-600"}>
              {p.status === "posted"
                ? t("posting.posted", { id: String(p.posterSupplyId) })
                : p.status === "failed"
                  ? t("posting.failed", { reason: p.lastError ?? "" })
                  : p.status === "pending" && paused
                    ? t("posting.pendingPaused")
                    : t(`posting.${p.status}`)}
            </span>
            {p.status === "failed" && can("orders.manage") ? (
              <button type="button" className={`${buttonClass("secondary")} self-start`} disabled={retry.isPending} onClick={() => retry.mutate({ postingId: p.id })}>
                {t("posting.retry", { department: p.departmentName })}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {retry.error ? <p role="alert" className="text-sm text-red-700">{describe(retry.error)}</p> : null}
    </section>
  );
}

const EVENT_KEYS = new Set(["created", "merged", "edited", "line_updated", "line_removed", "sent", "resent", "send_failed", "received", "supply_posted", "supply_failed", "supply_retry"]);

function Timeline({ order }: { order: OrderDetailData }) {
  const t = useTranslations("orders");
  const fmt = useFormat();
  const label = (e: OrderDetailData["events"][number]) => {
    const channel = typeof e.data?.channel === "string" ? t(`channel.${e.data.channel as "whatsapp"}`) : "";
    if (e.type === "status" && e.toStatus) return e.toStatus === "cancelled" ? t("history.cancelled") : t("history.status", { status: t(`status.${e.toStatus}`) });
    return EVENT_KEYS.has(e.type) ? t(`history.${e.type as "sent"}`, { channel }) : e.type;
  };
  return (
    <section aria-labelledby="history-title" className="flex flex-col gap-2">
      <h2 id="history-title" className="text-lg font-semibold">
        {t("history.title")}
      </h2>
      <ol className="flex flex-col gap-1 border-l-2 border-slate-200 pl-3">
        {[...order.events].reverse().map((e) => (
          <li key={e.id} className="text-sm">
            <span className="font-medium">{label(e)}</span>
            <span className="text-slate-600">
              {" "}
              · {fmt.dateTime(e.createdAt)} · {e.userName || e.userEmail || t("history.system")}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function CancelOrder({ orderId, edits }: { orderId: string; edits: OrderEdits }) {
  const t = useTranslations("orders");
  const client = useTRPCClient();
  const describe = useErrorText();
  const invalidate = useInvalidateOrder(orderId);
  const cancel = useMutation({
    scope: edits.scope,
    mutationFn: () => client.orders.cancel.mutate({ orderId, version: edits.version() }),
    onSuccess: (r) => edits.saw(r.version),
    onError: (err) => edits.refusedAsStale(err),
    onSettled: invalidate,
  });
  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        className={`${buttonClass("danger")} self-start`}
        disabled={cancel.isPending}
        onClick={() => {
          if (window.confirm(t("detail.confirmCancel"))) cancel.mutate();
        }}
      >
        {t("detail.cancel")}
      </button>
      {cancel.error && !isStaleOrderError(cancel.error) ? <p role="alert" className="text-sm text-red-700">{describe(cancel.error)}</p> : null}
    </div>
  );
}
