"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { secondaryButton } from "./shared";
import type { OrderDetailData } from "./types";

type Channel = "whatsapp" | "telegram" | "email" | "copy";

/** Four ways out: the links open the messenger in a new tab and the send is recorded at the same time. */
export function SendPanel({ order }: { order: OrderDetailData }) {
  const t = useTranslations("orders");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const send = useMutation(
    trpc.orders.send.mutationOptions({
      onSuccess: (_data, vars) => setNotice(vars.channel === "email" ? t("send.emailSent", { email: order.supplier.email ?? "" }) : vars.channel === "copy" ? t("send.copied") : t("send.recorded", { channel: t(`channel.${vars.channel}`) })),
      onError: () => setNotice(null),
      onSettled: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.orders.get.queryKey({ orderId: order.id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.orders.list.queryKey() });
      },
    }),
  );
  const record = (channel: Channel) => send.mutate({ orderId: order.id, channel });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(order.message.text);
    } catch {
      // Clipboard refused (permissions, insecure origin): the preview below can still be selected by hand.
    }
    record("copy");
  };
  const linkClass = `${secondaryButton} gap-2`;

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
        <button type="button" className={secondaryButton} disabled={!order.supplier.email || send.isPending} onClick={() => record("email")}>
          {t("send.email")}
        </button>
        <button type="button" className={secondaryButton} disabled={send.isPending} onClick={() => void copy()}>
          {t("send.copy")}
        </button>
      </div>
      {!order.supplier.email ? <p className="text-sm text-slate-600">{t("send.noEmail")}</p> : null}
      {!order.supplier.phone ? <p className="text-sm text-slate-600">{t("send.noPhone")}</p> : null}
      <div aria-live="polite">
        {notice ? <p className="text-emerald-800">{notice}</p> : null}
        {send.error ? <p className="text-red-700">{t("send.error", { message: send.error.message })}</p> : null}
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
