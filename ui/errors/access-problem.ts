"use client";

import { useSyncExternalStore } from "react";
import { errorInfo, isAccessProblem, type ErrorInfo } from "./describe";

/**
 * The latest "you cannot be here" answer (signed out, access removed, no restaurant), from any query or mutation:
 * the query client reports every failure here, and AccessGate shows it instead of the screen.
 */
let current: ErrorInfo | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

export function reportAccessProblem(err: unknown): void {
  const info = errorInfo(err);
  if (!isAccessProblem(info)) return;
  current = info;
  notify();
}

export function clearAccessProblem(): void {
  if (!current) return;
  current = null;
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAccessProblem(): ErrorInfo | null {
  return useSyncExternalStore(subscribe, () => current, () => null);
}
