"use client";

import { useTranslations } from "next-intl";
import type { Permission } from "@/server/auth/permissions";
import { LoadError } from "./load-error";
import { useCurrentRestaurant } from "@/ui/kit/hooks";

/**
 * A screen for one permission: for anyone else it says so and renders nothing of the screen, so none of its
 * calls (which the server would refuse) are made. The server checks every call anyway.
 */
export function RequirePermission({ permission, children }: { permission: Permission; children: React.ReactNode }) {
  const t = useTranslations("errors");
  const current = useCurrentRestaurant();
  if (current.isPending) return <div className="h-32 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (current.isError) return <LoadError title={t("restaurantLoadError")} error={current.error} onRetry={() => void current.refetch()} />;
  if (!current.data.permissions.includes(permission)) {
    return (
      <p role="status" data-testid="no-access" className="rounded-2xl bg-white p-4 text-slate-700">
        {t("noAccessPage")}
      </p>
    );
  }
  return children;
}
