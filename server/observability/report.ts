import * as Sentry from "@sentry/nextjs";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DomainError } from "@/server/errors";
import { currentContext } from "@/server/observability/context";

/** What an error report is tagged with, so one restaurant's or one Poster method's trouble can be found. */
export interface ErrorContext {
  restaurantId?: string | null;
  userId?: string | null;
  jobId?: string | null;
  jobKind?: string | null;
  /** tRPC procedure path, or a route handler's name. */
  procedure?: string | null;
  posterMethod?: string | null;
}

/** An error class that is a known outcome, not a bug, says so (PosterAuthError: the restaurant must reconnect). */
export interface ExpectedOutcome {
  readonly expected: true;
}

/**
 * Outcomes the product expects and shows to the user, not bugs: domain refusals (server/errors.ts, also as the cause
 * of the TRPCError they became), tRPC's own refusals (every code but INTERNAL_SERVER_ERROR), bad input, and errors
 * marked ExpectedOutcome.
 */
export function isExpectedError(err: unknown, depth = 0): boolean {
  if (depth > 5 || !err || typeof err !== "object") return false;
  if (err instanceof DomainError) return true;
  if (err instanceof TRPCError) return err.code !== "INTERNAL_SERVER_ERROR" || isExpectedError(err.cause, depth + 1);
  if (err instanceof ZodError || (err as Partial<ExpectedOutcome>).expected === true) return true;
  return false;
}

/** Poster errors carry the method they failed in (server/poster/errors.ts). */
const methodOf = (err: unknown): string | undefined => {
  const method = (err as { method?: unknown } | null)?.method;
  return typeof method === "string" ? method : undefined;
};

const reported = new WeakSet<object>();

const TAG_NAMES: Record<keyof ErrorContext, string> = {
  restaurantId: "restaurant_id",
  userId: "user_id",
  jobId: "job_id",
  jobKind: "job_kind",
  procedure: "procedure",
  posterMethod: "poster_method",
};

/**
 * Sends an unexpected error to Sentry with its context as tags (a no-op without SENTRY_DSN: Sentry is not
 * initialised). Everything sent goes through sentryBeforeSend, which scrubs secrets, e-mails and bodies.
 */
export function reportError(err: unknown, given: ErrorContext = {}): void {
  if (isExpectedError(err)) return;
  // A Poster failure is reported where it happens, then again by the procedure or job it breaks: once is enough.
  if (err && typeof err === "object") {
    if (reported.has(err)) return;
    reported.add(err);
  }
  // The work context (server/observability/context.ts) fills what the caller did not say.
  const work = currentContext();
  const context: ErrorContext = {
    restaurantId: given.restaurantId ?? work?.restaurantId,
    userId: given.userId ?? work?.userId,
    jobId: given.jobId ?? work?.jobId,
    jobKind: given.jobKind ?? work?.jobKind,
    procedure: given.procedure ?? work?.procedure,
    posterMethod: given.posterMethod ?? methodOf(err),
  };
  Sentry.withScope((scope) => {
    for (const [key, tag] of Object.entries(TAG_NAMES) as [keyof ErrorContext, string][]) {
      const value = context[key];
      if (value) scope.setTag(tag, value);
    }
    if (work?.requestId) scope.setTag("request_id", work.requestId);
    if (context.userId) scope.setUser({ id: context.userId });
    Sentry.captureException(err);
  });
}
