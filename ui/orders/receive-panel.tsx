"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorText } from "@/ui/errors/describe";
import { useTRPC, useTRPCClient } from "@/ui/trpc/react";
import { isStaleOrderError, type OrderEdits } from "./order-edits";
import { buttonClass } from "@/ui/kit/button";
import { useFormat } from "@/ui/kit/hooks";
import { inputClass } from "@/ui/kit/input";
import { decimalSign, parseQuantity, quantityDifference, remainingQuantity } from "@/vocabulary/quantity";
import { newIdempotencyKey, parsePrice } from "./shared";
import type { OrderDetailData, OrderLine } from "./types";

type Missing = "keep" | "return" | "cancel";
interface Row {
  quantity: string;
  price: string;
  missing: Missing;
}

/** Exact decimal strings (vocabulary/quantity): 2.5 − 0.3 is 2.2, not 2.1999999. */
const remainingOf = (l: OrderLine) => remainingQuantity(l.quantity, l.receivedQuantity);
/** A typed quantity in canonical form ("2,5" → "2.5"); an empty or invalid field is null. */
const typedQuantity = (text: string) => {
  const parsed = text.trim() === "" ? null : parseQuantity(text);
  return parsed?.ok ? parsed.value : null;
};

/**
 * The form is filled from one state of the order and says so (its version): if the order was received or changed
 * elsewhere meanwhile, the server refuses it and the page rebuilds the form from the order as it is now.
 */
export function ReceivePanel({ order, edits, onClose }: { order: OrderDetailData; edits: OrderEdits; onClose: () => void }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const describe = useErrorText();
  const queryClient = useQueryClient();
  const fmt = useFormat();
  const open = order.lines.filter((l) => l.status === "open");
  // One key per form: a double click or a retried request confirms the same receipt once.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [version] = useState(order.version);
  const [note, setNote] = useState("");
  const [rows, setRows] = useState<Record<string, Row>>(() =>
    Object.fromEntries(
      open.map((l) => {
        const price = l.priceMinor ?? l.suggestedPriceMinor;
        return [l.id, { quantity: remainingOf(l), price: price === null ? "" : String(price / 100), missing: "keep" as Missing }];
      }),
    ),
  );
  type ReceiveVars = Omit<Parameters<typeof client.orders.receive.mutate>[0], "version" | "orderId" | "idempotencyKey">;
  const receive = useMutation({
    scope: edits.scope,
    mutationFn: (vars: ReceiveVars) => client.orders.receive.mutate({ ...vars, orderId: order.id, idempotencyKey, version }),
    onSuccess: (r) => {
      edits.saw(r.version);
      onClose();
    },
    onError: (err) => edits.refusedAsStale(err),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.orders.get.queryKey({ orderId: order.id }) });
      void queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() });
    },
  });
  const set = (id: string, patch: Partial<Row>) => setRows((r) => ({ ...r, [id]: { ...r[id]!, ...patch } }));

  const parsed = open.map((l) => {
    const row = rows[l.id]!;
    const qty = typedQuantity(row.quantity);
    const price = parsePrice(row.price);
    return { line: l, row, qty, price, diff: qty === null ? "0" : quantityDifference(qty, remainingOf(l)) };
  });
  const valid = parsed.every((p) => p.qty !== null && (p.qty === "0" || p.price !== null));

  const confirm = () => {
    if (!valid) return;
    receive.mutate({
      ...(note.trim() ? { note: note.trim() } : {}),
      lines: parsed.map((p) => ({
        lineId: p.line.id,
        quantity: p.qty!,
        priceMinor: Math.round((p.price ?? 0) * 100),
        ...(decimalSign(p.diff) === -1 ? { missing: p.row.missing } : {}),
      })),
    });
  };

  return (
    <section aria-labelledby="receive-title" className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="receive-title" className="text-lg font-semibold">
        {t("receive.title")}
      </h2>
      <ul className="flex flex-col gap-3">
        {parsed.map(({ line: l, row, diff }) => {
          const short = decimalSign(diff) === -1;
          const over = decimalSign(diff) === 1;
          return (
            <li key={l.id} className={`flex flex-col gap-2 rounded-xl border p-3 ${short ? "border-amber-400 bg-amber-50" : over ? "border-sky-400 bg-sky-50" : "border-slate-200"}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-1">
                <span className="font-medium">{l.name}</span>
                <span className="text-sm text-slate-600">
                  {l.departmentName} · {t("receive.ordered", { quantity: fmt.quantity(remainingOf(l), l.unit) })}
                </span>
              </div>
              <div className="grid grid-cols-2 gap-2">
                <label className="flex flex-col gap-1 text-sm">
                  <span>{fmt.unit(l.unit)}</span>
                  <input
                    inputMode="decimal"
                    aria-label={t("receive.quantity", { name: l.name })}
                    aria-invalid={typedQuantity(row.quantity) === null}
                    className={inputClass}
                    value={row.quantity}
                    onChange={(e) => set(l.id, { quantity: e.target.value })}
                  />
                </label>
                <label className="flex flex-col gap-1 text-sm">
                  <span>{t("receive.pricePerUnit", { unit: fmt.unit(l.unit) })}</span>
                  <input
                    inputMode="decimal"
                    aria-label={t("receive.price", { name: l.name })}
                    aria-invalid={row.price !== "" && parsePrice(row.price) === null}
                    className={inputClass}
                    value={row.price}
                    onChange={(e) => set(l.id, { price: e.target.value })}
                  />
                </label>
              </div>
              {short ? <p className="text-sm font-medium text-amber-800">{t("receive.short", { quantity: fmt.quantity(diff.slice(1), l.unit) })}</p> : null}
              {over ? <p className="text-sm font-medium text-sky-800">{t("receive.over", { quantity: fmt.quantity(diff, l.unit) })}</p> : null}
              {short ? (
                <fieldset className="flex flex-col gap-1">
                  <legend className="sr-only">{t("receive.missing", { name: l.name })}</legend>
                  {(["keep", "return", "cancel"] as const).map((choice) => (
                    <label key={choice} className="flex min-h-11 items-center gap-2">
                      <input type="radio" className="size-5" name={`missing-${l.id}`} checked={row.missing === choice} onChange={() => set(l.id, { missing: choice })} />
                      {t(`receive.${choice}`)}
                    </label>
                  ))}
                </fieldset>
              ) : null}
            </li>
          );
        })}
      </ul>
      <label className="flex flex-col gap-1 text-sm">
        {t("receive.note")}
        <input className={inputClass} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div aria-live="polite">
        {!valid ? <p className="text-red-700">{t("receive.invalid")}</p> : null}
        {receive.error && !isStaleOrderError(receive.error) ? <p className="text-red-700">{t("receive.error", { message: describe(receive.error) })}</p> : null}
      </div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <button type="button" className={buttonClass("primary")} disabled={!valid || receive.isPending} onClick={confirm}>
          {receive.isPending ? t("receive.confirming") : t("receive.confirm")}
        </button>
        <button type="button" className={buttonClass("secondary")} onClick={onClose}>
          {t("receive.close")}
        </button>
      </div>
    </section>
  );
}
