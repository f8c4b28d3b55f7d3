import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { DomainError, type DomainErrorCode, type ErrorDetails, type ErrorReason } from "@/server/errors";

type TRPCCode = TRPCError["code"];

/** The one mapping from a domain refusal to tRPC (and so to an HTTP status). */
export const TRPC_CODES: Record<DomainErrorCode, TRPCCode> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  CONFLICT: "CONFLICT",
  VALIDATION: "BAD_REQUEST",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

/** A domain error as tRPC sees it: its code, its English message, and the reason and details the UI translates. */
export class DomainTRPCError extends TRPCError {
  readonly retryable = false;
  readonly reason: ErrorReason;
  readonly details: ErrorDetails | null;
  constructor(cause: DomainError) {
    super({ code: TRPC_CODES[cause.code], message: cause.message, cause });
    this.reason = cause.reason;
    this.details = cause.details;
  }
}

/**
 * Any failure as a TRPCError: a domain error (thrown, or wrapped by tRPC as an INTERNAL_SERVER_ERROR's cause) becomes
 * its refusal; anything else is left as tRPC made it.
 */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof DomainTRPCError) return err;
  if (err instanceof DomainError) return new DomainTRPCError(err);
  if (err instanceof TRPCError) return err.cause instanceof DomainError ? new DomainTRPCError(err.cause) : err;
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: err });
}

/** What the error formatter puts in `data`: the reason of a domain refusal, else nothing. */
export function reasonOf(error: unknown): { reason: ErrorReason; details: ErrorDetails | null } | null {
  if (error instanceof DomainTRPCError || error instanceof DomainError) return { reason: error.reason, details: error.details };
  return null;
}

/** The HTTP status a route handler answers for a failure (500 for anything that is not a refusal). */
export function httpStatusOfError(err: unknown): number {
  return getHTTPStatusCodeFromError(toTRPCError(err));
}
