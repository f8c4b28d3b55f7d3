"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";

export function Dashboard() {
  const t = useTranslations();
  const trpc = useTRPC();
  const current = useQuery(trpc.restaurant.current.queryOptions());

  if (current.isPending) {
    return <div className="h-32 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  }
  if (current.isError) {
    return (
      <div role="alert" className="rounded-2xl bg-red-50 p-4 text-red-800">
        <p>{t("dashboard.loadError")}</p>
        <button type="button" onClick={() => void current.refetch()} className="mt-2 h-11 rounded-lg bg-white px-4 font-medium">
          {t("dashboard.retry")}
        </button>
      </div>
    );
  }
  const { restaurant, role, departments } = current.data;
  return (
    <section className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="active-restaurant">
          {restaurant.name}
        </h1>
        <p className="text-sm text-slate-600">{t("dashboard.role", { role: t(`roles.${role}`) })}</p>
      </div>
      <h2 className="text-lg font-semibold">{t("dashboard.departments")}</h2>
      {departments.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("dashboard.noDepartments")}</p>
      ) : (
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {departments.map((d) => (
            <li key={d.id} className="rounded-2xl bg-white p-4 text-lg font-medium shadow-sm">
              {d.name}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
