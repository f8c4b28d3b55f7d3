import { TRPCError } from "@trpc/server";

/**
 * Why a call was refused, as a word the UI translates (ui/i18n/messages/<locale>/errors.json) instead of showing
 * the server's English message. The tRPC error formatter sends it as `data.reason`, with `data.details`.
 */
export const ERROR_REASONS = [
  /** No session cookie (never signed in here, or signed out). */
  "signed_out",
  /** The session was ended: signed out everywhere, password reset, deactivated, role changed. */
  "session_ended",
  /** The user belongs to no restaurant (yet). */
  "no_restaurant",
  /** The user's membership of this restaurant was deactivated; details.restaurantName says which. */
  "membership_removed",
  /** The user's role or capabilities do not allow this. */
  "not_allowed",
  /** The order changed since the form was loaded (another tab, another person): reload, do not post stale data. */
  "order_changed",
  /** A platform admin paused the restaurant: no Poster sync and no Poster writes until resumed. */
  "restaurant_paused",
  /** A feature flag keeps this off for the restaurant for now (details.flag says which). */
  "switched_off",
  /** The page was opened at another origin than APP_URL (details.appUrl): the Origin check refuses every change. */
  "cross_site",
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export type ErrorDetails = Record<string, string | number | boolean | null>;

type Code = ConstructorParameters<typeof TRPCError>[0]["code"];

/** A TRPCError that also says why in a word the UI can translate (see ERROR_REASONS). */
export class ReasonedError extends TRPCError {
  /** A refusal: a background job that meets one fails for good instead of retrying (server/jobs isRetryable). */
  readonly retryable = false;
  readonly reason: ErrorReason;
  readonly details: ErrorDetails | null;
  constructor(code: Code, reason: ErrorReason, message: string, details?: ErrorDetails) {
    super({ code, message });
    this.reason = reason;
    this.details = details ?? null;
  }
}

/** What the error formatter puts in `data`: the reason of a ReasonedError, else nothing. */
export function reasonOf(error: unknown): { reason: ErrorReason; details: ErrorDetails | null } | null {
  return error instanceof ReasonedError ? { reason: error.reason, details: error.details } : null;
}

export const orderChangedError = (current: { version: number; status: string }) =>
  new ReasonedError("CONFLICT", "order_changed", "This order changed meanwhile. Here is what it looks like now.", { version: current.version, status: current.status });

export const restaurantPausedError = () =>
  new ReasonedError("PRECONDITION_FAILED", "restaurant_paused", "This restaurant is paused by the platform: Poster sync and supplies wait until it is resumed.");

export const switchedOffError = (flag: string, message: string) => new ReasonedError("PRECONDITION_FAILED", "switched_off", message, { flag });

export const crossSiteError = (appUrl: string) =>
  new ReasonedError("FORBIDDEN", "cross_site", `Cross-site request refused: open this app at ${appUrl}.`, { appUrl });
