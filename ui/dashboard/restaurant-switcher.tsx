"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import { useCurrentRestaurant } from "@/ui/kit/hooks";

export function RestaurantSwitcher() {
  const t = useTranslations("nav");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.restaurant.mine.queryOptions());
  const current = useCurrentRestaurant();
  const switchTo = useMutation(
    trpc.restaurant.switch.mutationOptions({
      // Everything on screen belongs to the old restaurant: refetch it all.
      onSuccess: () => queryClient.invalidateQueries(),
    }),
  );
  const restaurants = mine.data ?? [];
  if (restaurants.length < 2) {
    return <span className="truncate font-medium">{current.data?.restaurant.name ?? restaurants[0]?.name ?? ""}</span>;
  }
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">{t("switchRestaurant")}</span>
      <select
        aria-label={t("switchRestaurant")}
        className="h-11 max-w-[60vw] rounded-lg border border-slate-300 bg-white px-2 text-base"
        value={current.data?.restaurant.id ?? ""}
        disabled={switchTo.isPending}
        onChange={(e) => switchTo.mutate({ restaurantId: e.target.value })}
      >
        {restaurants.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}
