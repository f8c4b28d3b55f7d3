"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Permission } from "@/server/auth/permissions";
import { useTRPC } from "@/ui/trpc/react";

/** Main navigation; each entry shows only to those whose permissions allow it (the server checks again). */
const ITEMS: { href: string; key: string; needs: Permission }[] = [
  { href: "/", key: "dashboard", needs: "restaurant.read" },
  { href: "/orders", key: "orders", needs: "orders.read" },
  { href: "/catalog", key: "catalog", needs: "catalog.manage" },
  { href: "/history", key: "history", needs: "orders.read" },
  { href: "/team", key: "team", needs: "team.manage" },
  { href: "/settings", key: "settings", needs: "poster.manage" },
];

export function MainNav() {
  const t = useTranslations("nav");
  const trpc = useTRPC();
  const pathname = usePathname();
  const current = useQuery(trpc.restaurant.current.queryOptions());
  const allowed = new Set(current.data?.permissions ?? []);
  const items = ITEMS.filter((i) => allowed.has(i.needs));
  if (items.length < 2) return null;
  return (
    // On a phone the entries wrap into rows of equal cells instead of scrolling out of sight (390 px fits three).
    <nav aria-label={t("main")} className="grid grid-cols-[repeat(auto-fit,minmax(6rem,1fr))] gap-x-1 border-b border-slate-200 bg-white px-2 sm:flex">
      {items.map((i) => {
        const active = i.href === "/" ? pathname === "/" : pathname.startsWith(i.href);
        return (
          <Link
            key={i.href}
            href={i.href}
            aria-current={active ? "page" : undefined}
            className={`flex h-11 items-center justify-center whitespace-nowrap px-3 text-sm font-medium ${active ? "border-b-2 border-emerald-600 text-emerald-700" : "text-slate-600"}`}
          >
            {t(i.key)}
          </Link>
        );
      })}
    </nav>
  );
}
