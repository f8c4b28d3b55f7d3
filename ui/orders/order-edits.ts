"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { errorInfo } from "@/ui/errors/describe";
import { useTRPC } from "@/ui/trpc/react";

export interface OrderEdits {
  /** The version an edit carries: the latest this page knows of the order. */
  version: () => number;
  /** Edits of one order run one after another, so each carries the version the previous one produced. */
  scope: { id: string };
  /** After a successful edit: the page knows the order's new version before its refetch lands. */
  saw: (version: number) => void;
  /** True when the server refused the edit as made on an older order; the page then reloads it and says so. */
  refusedAsStale: (err: unknown) => boolean;
}

/** Refused as made on an older order: the page-wide notice says it, so forms do not repeat it. */
export const isStaleOrderError = (err: unknown) => errorInfo(err).reason === "order_changed";

/** How an order's page keeps its edits in step with the server's version of the order (see assertVersion). */
export function useOrderEdits(orderId: string, onStale: () => void): OrderEdits {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = useMemo(() => trpc.orders.get.queryKey({ orderId }), [trpc, orderId]);
  const version = useCallback(() => queryClient.getQueryData(key)?.version ?? 0, [queryClient, key]);
  const saw = useCallback(
    (v: number) => queryClient.setQueryData(key, (old) => (old && old.version < v ? { ...old, version: v } : old)),
    [queryClient, key],
  );
  const refusedAsStale = useCallback(
    (err: unknown) => {
      if (!isStaleOrderError(err)) return false;
      // The form is rebuilt from the order as it is now, never resent with what it showed before.
      void queryClient.refetchQueries({ queryKey: key }).then(onStale);
      return true;
    },
    [queryClient, key, onStale],
  );
  return useMemo(() => ({ version, scope: { id: `order:${orderId}` }, saw, refusedAsStale }), [version, orderId, saw, refusedAsStale]);
}
