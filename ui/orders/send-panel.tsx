"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorText } from "@/ui/errors/describe";
import { useTRPC, useTRPCClient } from "@/ui/trpc/react";
import { isStaleOrderError, type OrderEdits } from "./order-edits";
import { buttonClass } from "@/ui/kit/button";
import type { OrderDetailData } from "./types";

type Channel = "whatsapp" | "telegram" | "email" | "copy";

/** Four ways out: the links open the messenger in a new tab and the send is recorded at the same time. */
export function SendPanel({ order, edits }: { order: OrderDetailData; edits: OrderEdits }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const describe = useErrorText();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const send = useMutation({
    scope: edits.scope,
    // The message goes out as the server has the lines; the version makes sure this page showed the same.
    mutationFn: (vars: { channel: Channel }) => client.orders.send.mutate({ orderId: order.id, channel: vars.channel, version: edits.version() }),
    onSuccess: (data, vars) => {
      edits.saw(data.version);
      setNotice(vars.channel === "email" ? t("send.emailSent", { email: order.supplier.email ?? "" }) : vars.channel === "copy" ? t("send.copied") : t("send.recorded", { channel: t(`channel.${vars.channel}`) }));
    },
    onError: (err) => {
      setNotice(null);
      edits.refusedAsStale(err);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.orders.get.queryKey({ orderId: order.id }) });
      void queryClient.invalidateQueries({ queryKey: trpc.orders.list.pathKey() });
    },
  });
  const record = (channel: Channel) => send.mutate({ channel });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(order.message.text);
    } catch {
      // Clipboard refused (permissions, insecure origin): the preview below can still be selected by hand.
    }
    record("copy");
  };
  const linkClass = `${buttonClass("secondary")} gap-2`;

  return (
    <section aria-labelledby="send-title" className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="send-title" className="text-lg font-semibold">
        {t("send.title")}
      </h2>
      <div className="grid grid-cols-2 gap-2">
        <a href={order.message.whatsappUrl} target="_blank" rel="noopener noreferrer" className={linkClass} onClick={() => record("whatsapp")}>
          {t("send.whatsapp")}
        </a>
        <a href={order.message.telegramUrl} target="_blank" rel="noopener noreferrer" className={linkClass} onClick={() => record("telegram")}>
          {t("send.telegram")}
        </a>
        <button type="button" className={buttonClass("secondary")} disabled={!order.supplier.email || send.isPending} onClick={() => record("email")}>
          {t("send.email")}
        </button>
        <button type="button" className={buttonClass("secondary")} disabled={send.isPending} onClick={() => void copy()}>
          {t("send.copy")}
        </button>
      </div>
      {!order.supplier.email ? <p className="text-sm text-slate-600">{t("send.noEmail")}</p> : null}
      {!order.supplier.phone ? <p className="text-sm text-slate-600">{t("send.noPhone")}</p> : null}
      <div aria-live="polite">
        {notice ? <p className="text-emerald-800">{notice}</p> : null}
        {send.error && !isStaleOrderError(send.error) ? <p className="text-red-700">{t("send.error", { message: describe(send.error) })}</p> : null}
      </div>
      <details open className="rounded-lg bg-slate-50 p-3">
        <summary className="cursor-pointer text-sm font-medium">{t("send.preview")}</summary>
        <pre data-testid="order-message" className="mt-2 whitespace-pre-wrap break-words font-sans text-sm">
          {order.message.text}
        </pre>
      </details>
    </section>
  );
}
