"use client";

import { useTranslations } from "next-intl";
import type { OrderStatus } from "@/vocabulary/constants";

const STATUS_STYLE: Record<OrderStatus, string> = {
  draft: "bg-slate-100 text-slate-700",
  sent: "bg-sky-100 text-sky-800",
  partially_received: "bg-amber-100 text-amber-800",
  received: "bg-emerald-100 text-emerald-800",
  cancelled: "bg-red-50 text-red-700",
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  const t = useTranslations("orders");
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium ${STATUS_STYLE[status]}`}>{t(`status.${status}`)}</span>;
}

/** A price typed on a phone: "2,5" or "2.50"; null when not a non-negative amount with at most 2 decimals. (Quantities: vocabulary/quantity.) */
export function parsePrice(text: string): number | null {
  const s = text.replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{0,2})?$/.test(s)) return null;
  return Number(s);
}

/** crypto.randomUUID needs a secure context; getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
