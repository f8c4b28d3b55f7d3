"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { ERROR_REASONS, type ErrorDetails, type ErrorReason } from "@/server/errors";
import { httpStatusOf } from "@/ui/trpc/error-status";

export interface ErrorInfo {
  /** Null when no answer came back (offline, server unreachable). */
  status: number | null;
  reason: ErrorReason | null;
  details: ErrorDetails | null;
  /** The server's English message: for logs and tests, never shown (every refusal is said by its key). */
  message: string;
  /** The input failed the procedure's zod schema. */
  invalidInput: boolean;
}

/** What a failed tRPC call says about itself, read the same way for queries and mutations. */
export function errorInfo(err: unknown): ErrorInfo {
  const data = (err as { data?: { reason?: unknown; details?: unknown; zodError?: unknown } } | null)?.data;
  const reason = typeof data?.reason === "string" && (ERROR_REASONS as readonly string[]).includes(data.reason) ? (data.reason as ErrorReason) : null;
  const details = data?.details && typeof data.details === "object" ? (data.details as ErrorDetails) : null;
  return { status: httpStatusOf(err), reason, details, message: err instanceof Error ? err.message : String(err), invalidInput: !!data?.zodError };
}

const isErrorInfo = (v: unknown): v is ErrorInfo => !!v && typeof v === "object" && "status" in v && "reason" in v && !(v instanceof Error);

/** Signed out, or no access to the restaurant at all: the whole screen says so (AccessGate), not each box. */
export function isAccessProblem(info: ErrorInfo): boolean {
  return info.status === 401 || info.reason === "membership_removed" || info.reason === "no_restaurant";
}

/** A reason's details as message arguments ({appUrl}); booleans and nulls are not shown in any message. */
function textValues(details: ErrorDetails | null): Record<string, string | number> {
  return Object.fromEntries(Object.entries(details ?? {}).filter((e): e is [string, string | number] => typeof e[1] === "string" || typeof e[1] === "number"));
}

/** A next-intl translator of the "errors" namespace (useTranslations("errors"), or createTranslator in tests). */
export type ErrorTranslator = (key: string, values?: Record<string, string | number>) => string;

/**
 * The one mapping from a failed call to a sentence in the reader's language: a domain refusal by its reason
 * (server/errors.ts), a missing answer ("Failed to fetch") as a connection problem, a 5xx as ours, any other refusal
 * by its status. The server's English message is never shown.
 */
export function describeError(err: unknown, t: ErrorTranslator): string {
  const info = isErrorInfo(err) ? err : errorInfo(err);
  if (info.reason === "membership_removed") {
    const name = info.details?.restaurantName;
    return typeof name === "string" ? t("reason.membership_removed", { restaurant: name }) : t("reason.membership_removed_unnamed");
  }
  if (info.reason) return t(`reason.${info.reason}`, textValues(info.details));
  if (info.status === null) return t("network");
  if (info.status === 401) return t("reason.signed_out");
  if (info.status === 403) return t("reason.not_allowed");
  if (info.status >= 500) return t("server");
  if (info.invalidInput || info.status === 400) return t("status.invalid");
  if (info.status === 404) return t("status.notFound");
  if (info.status === 409) return t("status.conflict");
  if (info.status === 412) return t("status.precondition");
  if (info.status === 429) return t("status.rateLimited");
  return t("status.refused");
}

export function useErrorText(): (err: unknown) => string {
  const t = useTranslations("errors") as unknown as ErrorTranslator;
  return useCallback((err: unknown) => describeError(err, t), [t]);
}
