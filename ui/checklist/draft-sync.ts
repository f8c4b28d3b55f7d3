"use client";

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { SavedLine } from "@/server/checklist";
import { reportAccessProblem } from "@/ui/errors/access-problem";
import { useTRPCClient } from "@/ui/trpc/react";

/** How long after the last keystroke a line is sent. */
const DEBOUNCE_MS = 500;
/** Retry delay after a server or network failure while the browser still says it is online. */
const RETRY_MS = 5_000;

export type SyncStatus = "saved" | "saving" | "offline" | "error";

interface PendingEdit {
  productId: string;
  quantity: string;
  /** Answered back by the server, so an old answer never clears a newer edit. */
  mutationId: string;
  /** The server's quantity when this device started editing the line: another device's change shows as `replaced`. */
  base?: string;
}

/** Answers that will not get better by resending (bad quantity, no access, product gone): drop the edit. */
function isRejection(err: unknown): boolean {
  const status = (err as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}

function subscribeOnline(onChange: () => void) {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

function newMutationId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function readStored(key: string): PendingEdit[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is PendingEdit =>
        !!e && typeof e === "object" && typeof e.productId === "string" && typeof e.quantity === "string" && typeof e.mutationId === "string",
    );
  } catch {
    return [];
  }
}

/**
 * The draft's server sync. Every edit is kept in localStorage (per user and department) until the server has
 * confirmed it, sent ~500 ms after the last change to that line, one request at a time in the order of edits,
 * each with the line's latest value. Offline edits wait for the `online` event (or the next page load); the
 * server's upsert makes a resend harmless.
 */
export function useDraftSync(opts: {
  userId: string;
  departmentId: string;
  onSaved: (line: SavedLine) => void;
  onRejected: (productId: string, error: unknown) => void;
}) {
  const { userId, departmentId } = opts;
  const client = useTRPCClient();
  const storageKey = `rc:checklist-draft:${userId}:${departmentId}`;
  const pending = useRef(new Map<string, PendingEdit>());
  const due = useRef(new Set<string>());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const running = useRef<Promise<void> | null>(null);
  const failed = useRef(false);
  const callbacks = useRef(opts);
  useEffect(() => {
    callbacks.current = opts;
  });

  const [pendingView, setPendingView] = useState<Record<string, string>>({});
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
  const [error, setError] = useState(false);

  const publish = useCallback(() => {
    setPendingView(Object.fromEntries([...pending.current.values()].map((e) => [e.productId, e.quantity])));
    try {
      if (pending.current.size === 0) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify([...pending.current.values()]));
    } catch {
      // Storage full or blocked (private mode): the edit still goes to the server while online.
    }
  }, [storageKey]);

  const pumpRef = useRef<() => Promise<void>>(() => Promise.resolve());

  const schedule = useCallback((productId: string, ms: number) => {
    clearTimeout(timers.current.get(productId));
    timers.current.set(
      productId,
      setTimeout(() => {
        timers.current.delete(productId);
        due.current.add(productId);
        void pumpRef.current();
      }, ms),
    );
  }, []);

  const run = useCallback(async () => {
    while (true) {
      if (typeof navigator !== "undefined" && !navigator.onLine) return;
      const next = [...pending.current.values()].find((e) => due.current.has(e.productId));
      if (!next) return;
      due.current.delete(next.productId);
      try {
        const saved = await client.checklist.saveLine.mutate({
          departmentId,
          productId: next.productId,
          quantity: next.quantity,
          ...(next.base !== undefined ? { baseQuantity: next.base } : {}),
          clientMutationId: next.mutationId,
        });
        const current = pending.current.get(next.productId);
        if (current?.mutationId === saved.clientMutationId) pending.current.delete(next.productId);
        // A later edit of the same line now starts from what the server has.
        else if (current) current.base = saved.quantity;
        failed.current = false;
        setError(false);
        publish();
        callbacks.current.onSaved(saved);
      } catch (err) {
        // Signed out or access removed: the screen says so; the edit stays stored for after signing in again.
        reportAccessProblem(err);
        if (isRejection(err)) {
          if (pending.current.get(next.productId)?.mutationId === next.mutationId) pending.current.delete(next.productId);
          publish();
          callbacks.current.onRejected(next.productId, err);
          continue;
        }
        // Network down or server trouble: keep the edit, try again later (or on `online`).
        failed.current = true;
        setError(true);
        schedule(next.productId, RETRY_MS);
        return;
      }
    }
  }, [client, departmentId, publish, schedule]);

  const pump = useCallback((): Promise<void> => {
    running.current ??= run().finally(() => {
      running.current = null;
    });
    return running.current;
  }, [run]);
  useEffect(() => {
    pumpRef.current = pump;
  }, [pump]);

  const markAllDue = useCallback(() => {
    for (const [id, timer] of timers.current) {
      clearTimeout(timer);
      timers.current.delete(id);
    }
    for (const id of pending.current.keys()) due.current.add(id);
  }, []);

  /** Sends every pending edit now; true when none is left (false: offline or the server is failing). */
  const flushAll = useCallback(async (): Promise<boolean> => {
    markAllDue();
    for (let i = 0; i < 3 && pending.current.size > 0; i++) {
      await pump();
      if (failed.current || (typeof navigator !== "undefined" && !navigator.onLine)) break;
      markAllDue();
    }
    return pending.current.size === 0;
  }, [markAllDue, pump]);

  const edit = useCallback(
    (productId: string, quantity: string, base: string) => {
      // The first unsent edit of a line fixes what it started from; later ones keep it.
      const earlier = pending.current.get(productId);
      // Delete first so the map keeps the order of the latest edits.
      pending.current.delete(productId);
      pending.current.set(productId, { productId, quantity, mutationId: newMutationId(), base: earlier?.base ?? base });
      due.current.delete(productId);
      publish();
      schedule(productId, DEBOUNCE_MS);
    },
    [publish, schedule],
  );

  // Edits left from an earlier visit (offline, closed tab) are sent on load; `online` resends the rest.
  useEffect(() => {
    for (const e of readStored(storageKey)) if (!pending.current.has(e.productId)) pending.current.set(e.productId, e);
    publish();
    const flushNow = () => {
      markAllDue();
      void pump();
    };
    const onOnline = () => flushNow();
    const onHide = () => {
      if (document.visibilityState === "hidden") flushNow();
    };
    flushNow();
    window.addEventListener("online", onOnline);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      window.removeEventListener("online", onOnline);
      document.removeEventListener("visibilitychange", onHide);
      // Leaving the page (in-app navigation): send what is waiting instead of waiting for the timers.
      flushNow();
    };
  }, [storageKey, publish, pump, markAllDue]);

  const pendingCount = Object.keys(pendingView).length;
  const status: SyncStatus = pendingCount === 0 ? "saved" : !online ? "offline" : error ? "error" : "saving";
  return useMemo(() => ({ pending: pendingView, status, edit, flushAll }), [pendingView, status, edit, flushAll]);
}
