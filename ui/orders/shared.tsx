"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { Permission } from "@/server/auth/permissions";
import { useTRPC } from "@/ui/trpc/react";

export type OrderStatus = "draft" | "sent" | "partially_received" | "received" | "cancelled";

export const inputClass = "h-12 w-full rounded-lg border border-slate-300 bg-white px-3 text-base disabled:bg-slate-100";
export const buttonClass = "inline-flex h-12 items-center justify-center rounded-lg px-4 text-base font-semibold disabled:opacity-60";
export const primaryButton = `${buttonClass} bg-emerald-600 text-white`;
export const secondaryButton = `${buttonClass} border border-slate-300 bg-white text-slate-800`;
export const dangerButton = `${buttonClass} border border-red-300 bg-white text-red-700`;

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

/** What the signed-in user may do here (the server checks every call anyway). */
export function usePermissions() {
  const trpc = useTRPC();
  const current = useQuery(trpc.restaurant.current.queryOptions());
  const allowed = new Set<Permission>(current.data?.permissions ?? []);
  return { can: (p: Permission) => allowed.has(p), restaurant: current.data?.restaurant };
}

/** Quantities and money in the reader's locale; money in the restaurant's currency. */
export function useOrderFormat() {
  const format = useFormatter();
  const t = useTranslations("orders");
  const { restaurant } = usePermissions();
  const unit = (u: string) => (u === "kg" || u === "l" || u === "p" ? t(`units.${u}`) : u);
  return {
    quantity: (q: string | number, u?: string) => `${format.number(Number(q), { maximumFractionDigits: 3 })}${u ? ` ${unit(u)}` : ""}`,
    money: (minor: number) => format.number(minor / 100, { style: "currency", currency: restaurant?.currency ?? "RUB" }),
    date: (d: string) => format.dateTime(new Date(`${d}T00:00:00Z`), { day: "numeric", month: "long", timeZone: "UTC" }),
    dateTime: (d: Date | string) => format.dateTime(new Date(d), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
    unit,
  };
}

/** Typed on a phone: "2,5" or "2.5"; null when not a non-negative number with at most 3 decimals. */
export function parseDecimal(text: string, decimals = 3): number | null {
  const s = text.replace(/\s/g, "").replace(",", ".");
  if (!new RegExp(`^\\d+(\\.\\d{0,${decimals}})?$`).test(s)) return null;
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
