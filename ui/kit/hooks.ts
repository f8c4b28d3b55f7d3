"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";
import type { Permission } from "@/server/auth/permissions";
import { useTRPC } from "@/ui/trpc/react";
import { KNOWN_UNITS } from "@/vocabulary/constants";

/** The active restaurant, the user's role, departments and permissions: one query every screen shares. */
export function useCurrentRestaurant() {
  const trpc = useTRPC();
  return useQuery(trpc.restaurant.current.queryOptions());
}

/** What the signed-in user may do in the active restaurant (the server checks every call anyway). */
export function usePermissions() {
  const current = useCurrentRestaurant();
  const allowed = new Set<Permission>(current.data?.permissions ?? []);
  return { can: (p: Permission) => allowed.has(p), restaurant: current.data?.restaurant, query: current };
}


/** Poster's unit codes ("kg", "l", "p") in the reader's language; free text as typed. The one place units are shown from. */
export function useUnitLabel(): (unit: string) => string {
  const t = useTranslations("app.units");
  return useCallback((unit: string) => ((KNOWN_UNITS as readonly string[]).includes(unit) ? t(unit as (typeof KNOWN_UNITS)[number]) : unit), [t]);
}

/** Quantities, money and dates in the reader's locale (a comma in Russian), money in the restaurant's currency. */
export function useFormat() {
  const format = useFormatter();
  const unit = useUnitLabel();
  const { restaurant } = usePermissions();
  return {
    number: (q: string | number) => format.number(Number(q), { maximumFractionDigits: 3 }),
    quantity: (q: string | number, u?: string) => `${format.number(Number(q), { maximumFractionDigits: 3 })}${u ? ` ${unit(u)}` : ""}`,
    money: (minor: number) => format.number(minor / 100, { style: "currency", currency: restaurant?.currency ?? "RUB" }),
    date: (d: string) => format.dateTime(new Date(`${d}T00:00:00Z`), { day: "numeric", month: "long", timeZone: "UTC" }),
    dateTime: (d: Date | string) => format.dateTime(new Date(d), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
    unit,
  };
}
