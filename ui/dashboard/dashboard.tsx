"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { LoadError } from "@/ui/errors/load-error";

export function Dashboard({ submitted }: { submitted: "1" | "again" | null }) {
  const t = useTranslations();
  const format = useFormatter();
  const trpc = useTRPC();
  const current = useQuery(trpc.restaurant.current.queryOptions());
  const summary = useQuery(trpc.checklist.dashboard.queryOptions());
  const [showSubmitted, setShowSubmitted] = useState(submitted !== null);

  if (current.isPending || summary.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true">
        <div className="h-12 animate-pulse rounded-2xl bg-slate-200" />
        <div className="h-32 animate-pulse rounded-2xl bg-slate-200" />
      </div>
    );
  }
  if (current.isError || summary.isError) {
    return <LoadError title={t("dashboard.loadError")} error={current.error ?? summary.error} onRetry={() => void Promise.all([current.refetch(), summary.refetch()])} />;
  }
  const { restaurant, role } = current.data;
  const { departments, status, lastOrder, productCount } = summary.data;
  // Staff see the counts of their departments but not the order screens: plain lines for them.
  const canOrders = current.data.permissions.includes("orders.read");
  return (
    <section className="flex flex-col gap-4">
      {showSubmitted && (
        <div role="status" className="flex items-center gap-2 rounded-2xl bg-emerald-50 p-4 text-emerald-900">
          <p className="flex-1">{submitted === "again" ? t("dashboard.alreadySubmitted") : t("dashboard.submitted")}</p>
          <button type="button" onClick={() => setShowSubmitted(false)} className="h-11 rounded-lg px-3 text-sm font-medium" aria-label={t("dashboard.dismiss")}>
            ×
          </button>
        </div>
      )}
      <div>
        <h1 className="text-2xl font-semibold" data-testid="active-restaurant">
          {restaurant.name}
        </h1>
        <p className="text-sm text-slate-600">
          {t("dashboard.role", { role: t(`roles.${role}`) })} · {t("dashboard.catalogSize", { count: productCount })}
        </p>
      </div>

      <h2 className="text-lg font-semibold">{t("dashboard.departments")}</h2>
      {departments.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-slate-600">{t("dashboard.noDepartments")}</p>
      ) : (
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {departments.map((d) => (
            <li key={d.id}>
              <Link
                href={`/departments/${d.id}`}
                aria-label={t("dashboard.openChecklist", { name: d.name })}
                className="flex min-h-20 flex-col justify-center rounded-2xl bg-white p-4 shadow-sm active:bg-slate-50"
              >
                <span className="text-lg font-medium">{d.name}</span>
                <span className="text-sm text-slate-600">
                  {t("dashboard.productCount", { count: d.productCount })}
                  {d.draftLines > 0 && <span className="ml-2 font-medium text-emerald-700">{t("dashboard.draftLines", { count: d.draftLines })}</span>}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="dashboard-status" className="rounded-2xl bg-white p-4 shadow-sm">
        <h2 id="dashboard-status" className="mb-2 text-lg font-semibold">
          {t("dashboard.statusTitle")}
        </h2>
        <ul className="flex flex-col text-sm">
          <AttentionLine href={canOrders ? "/orders#requests" : null}>{t("dashboard.requestsWaiting", { count: status.requestsWaiting })}</AttentionLine>
          <AttentionLine href={canOrders ? "/orders#group-draft" : null}>{t("dashboard.ordersToSend", { count: status.ordersToSend })}</AttentionLine>
          <AttentionLine href={canOrders ? "/orders#group-sent" : null}>{t("dashboard.deliveriesInTransit", { count: status.deliveriesInTransit })}</AttentionLine>
          {status.unsortedProducts !== null && (
            <AttentionLine href={canOrders ? "/orders/unsorted" : null} warn={status.unsortedProducts > 0}>
              {t("dashboard.unsortedProducts", { count: status.unsortedProducts })}
            </AttentionLine>
          )}
        </ul>
      </section>

      <section aria-labelledby="dashboard-last-order" className="rounded-2xl bg-white p-4 shadow-sm">
        <h2 id="dashboard-last-order" className="mb-2 text-lg font-semibold">
          {t("dashboard.lastOrderTitle")}
        </h2>
        {lastOrder ? (
          <div className="text-sm">
            {canOrders ? (
              <Link href={`/orders/${lastOrder.id}`} className="font-medium text-emerald-800 underline">
                {t("dashboard.lastOrder", { number: lastOrder.number, supplier: lastOrder.supplierName })}
              </Link>
            ) : (
              <p className="font-medium">{t("dashboard.lastOrder", { number: lastOrder.number, supplier: lastOrder.supplierName })}</p>
            )}
            <p className="text-slate-600">
              {t("dashboard.lastOrderMeta", {
                status: t(`dashboard.orderStatus.${lastOrder.status as "draft"}`),
                date: format.dateTime(new Date(`${lastOrder.deliveryDate}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }),
              })}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t("dashboard.noOrders")}</p>
        )}
      </section>
    </section>
  );
}

/** One «needs attention» line: a link to the screen where it is dealt with, when the reader may open it. */
function AttentionLine({ href, warn = false, children }: { href: string | null; warn?: boolean; children: React.ReactNode }) {
  const tone = warn ? "font-medium text-amber-800" : "text-slate-800";
  if (href === null) return <li className={`py-1 ${tone}`}>{children}</li>;
  return (
    <li>
      <Link href={href} className={`-mx-2 flex min-h-11 items-center justify-between rounded-lg px-2 underline-offset-2 hover:bg-slate-50 hover:underline ${tone}`}>
        <span>{children}</span>
        <span aria-hidden="true" className="text-slate-400">›</span>
      </Link>
    </li>
  );
}
