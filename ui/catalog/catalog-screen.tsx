"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { CategoriesPanel } from "./categories-panel";
import { ProductsPanel } from "./products-panel";
import { SuppliersPanel } from "./suppliers-panel";
import { CATALOG_TABS, type CatalogTab } from "./tabs";
import { LoadError } from "@/ui/errors/load-error";
import { useCurrentRestaurant } from "@/ui/kit/hooks";

/** The catalogue in three tabs; the open tab (and department) live in the URL so a reload keeps them. */
export function CatalogScreen({ initialTab, initialDepartmentId }: { initialTab: CatalogTab; initialDepartmentId: string | null }) {
  const t = useTranslations("catalog");
  const current = useCurrentRestaurant();
  const [tab, setTab] = useState<CatalogTab>(initialTab);

  const select = (next: CatalogTab) => {
    setTab(next);
    const params = new URLSearchParams(window.location.search);
    params.set("tab", next);
    window.history.replaceState(null, "", `?${params.toString()}`);
  };

  if (current.isPending) return <div className="h-32 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (current.isError) {
    return <LoadError title={t("loadError")} error={current.error} onRetry={() => void current.refetch()} />;
  }
  if (!current.data.permissions.includes("catalog.manage")) {
    return <p className="rounded-2xl bg-white p-4 text-slate-700">{t("noAccess")}</p>;
  }

  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <div role="tablist" aria-label={t("tabs.label")} className="grid grid-cols-3 gap-1 rounded-xl bg-slate-200 p-1">
        {CATALOG_TABS.map((key) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`catalog-tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`catalog-panel-${key}`}
            onClick={() => select(key)}
            className={`min-h-11 rounded-lg px-2 text-sm font-medium ${tab === key ? "bg-white text-emerald-700 shadow-sm" : "text-slate-700"}`}
          >
            {t(`tabs.${key}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`catalog-panel-${tab}`} aria-labelledby={`catalog-tab-${tab}`}>
        {tab === "suppliers" && <SuppliersPanel />}
        {tab === "categories" && <CategoriesPanel />}
        {tab === "products" && <ProductsPanel departments={current.data.departments} initialDepartmentId={initialDepartmentId} />}
      </div>
    </section>
  );
}
