/**
 * The domain's errors: what a refusal is (its code) and why, as a message key the UI translates
 * (i18n/messages/<locale>/errors.json, `reason.<key>`); the English message is for logs and tests. No tRPC and no
 * drizzle here: domain code, jobs and the UI import this module; server/trpc/errors.ts maps it to tRPC, in one place.
 */

/** Every message key a domain error may carry (the i18n test checks each exists in both locales). */
export const ERROR_REASONS = [
  // Access (server/trpc/init.ts and the tenant procedures).
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
  /** Switching to a restaurant the user is not a member of. */
  "not_member",
  /** The restaurant of the membership is gone. */
  "restaurant_unavailable",
  /** The page was opened at another origin than APP_URL (details.appUrl): the Origin check refuses every change. */
  "cross_site",
  /** A platform admin paused the restaurant: no Poster sync and no Poster writes until resumed. */
  "restaurant_paused",
  /** A feature flag keeps this off for the restaurant for now (details.flag says which). */
  "switched_off",
  /** A platform admin disabled the restaurant: no syncs, no Poster writes; its data is kept (details.reason). */
  "restaurant_disabled",
  "restaurant_not_found",
  "poster_not_connected",
  "export_not_found",
  /** details.limit */
  "export_too_many_lines",

  // Catalog.
  "supplier_not_found",
  "supplier_archived",
  "poster_supplier_edited_in_poster",
  "poster_supplier_archived_in_poster",
  "product_not_found",
  "products_not_found",
  "product_listed_twice",
  "product_not_in_department",
  "poster_product_removed_in_poster",
  "category_not_found",
  "department_not_found",
  "not_your_department",

  // Checklist.
  "quantity_format",
  "quantity_precision",
  /** details.max */
  "quantity_range",
  "quantity_not_positive",
  "checklist_empty",
  "no_draft",

  // Orders.
  "order_not_found",
  "line_not_found",
  /** The order changed since the form was loaded (another tab, another person): reload, do not post stale data. */
  "order_changed",
  /** Changed between read and write without a known version (a guard): reload. */
  "order_changed_reload",
  "order_not_draft",
  /** details.from, details.to: order statuses. */
  "order_transition",
  /** details.status */
  "order_cannot_send",
  "order_not_sent",
  /** details.status */
  "order_cannot_receive",
  "order_no_lines",
  "supplier_no_email",
  "receipt_other_order",
  "line_not_open",
  "line_listed_twice",
  "receipt_empty",
  "posting_not_found",
  "supply_already_posted",
  "supply_posting_in_progress",

  // Team and invitations.
  "member_not_found",
  "cannot_deactivate_self",
  "owner_only",
  "staff_needs_department",
  "department_missing",
  "last_owner",
  "invitation_not_found",
  "invitation_accepted",
  "invitation_invalid",
  "invitation_used",
  "invitation_revoked",
  "invitation_expired",
  "invitation_departments_gone",
  "invitation_other_email",
  "invitation_for_one_email",
  "invitation_link_exhausted",
  "invitation_email_first",
  "already_member",
  "account_exists",
  // Admin console.
  /** Only a failed or dead job, or a failed verified webhook, can be replayed. */
  "not_replayable",
  "job_not_found",
  "webhook_not_found",

  /** details.problem (tooShort, tooLong, blank, containsEmail, common, weak), details.min, details.max */
  "weak_password",
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export type ErrorDetails = Record<string, string | number | boolean | null>;

/** What kind of refusal: the tRPC adapter turns each into one tRPC code (and so one HTTP status). */
export type DomainErrorCode = "NOT_FOUND" | "FORBIDDEN" | "UNAUTHORIZED" | "CONFLICT" | "VALIDATION" | "PRECONDITION_FAILED" | "RATE_LIMITED";

/** A refusal the product expects and explains (never a bug): not reported to Sentry, never retried by a job. */
export class DomainError extends Error {
  /** server/observability/report.ts: an expected outcome, not reported. */
  readonly expected = true;
  /** server/jobs isRetryable: a job that meets a refusal fails for good instead of retrying. */
  readonly retryable = false;
  readonly details: ErrorDetails | null;
  constructor(
    readonly code: DomainErrorCode,
    readonly reason: ErrorReason,
    message: string,
    details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
    this.details = details ?? null;
  }
}

type Args = [reason: ErrorReason, message: string, details?: ErrorDetails];

export class NotFoundError extends DomainError {
  constructor(...args: Args) {
    super("NOT_FOUND", ...args);
  }
}
export class ForbiddenError extends DomainError {
  constructor(...args: Args) {
    super("FORBIDDEN", ...args);
  }
}
/** Not signed in, or the session is no longer valid. */
export class UnauthorizedError extends DomainError {
  constructor(...args: Args) {
    super("UNAUTHORIZED", ...args);
  }
}
export class ConflictError extends DomainError {
  constructor(...args: Args) {
    super("CONFLICT", ...args);
  }
}
/** The input is well-formed (zod passed) but not acceptable here. */
export class ValidationError extends DomainError {
  constructor(...args: Args) {
    super("VALIDATION", ...args);
  }
}
/** The restaurant is not in a state that allows this (not connected, paused, switched off). */
export class PreconditionError extends DomainError {
  constructor(...args: Args) {
    super("PRECONDITION_FAILED", ...args);
  }
}
export class RateLimitedError extends DomainError {
  constructor(...args: Args) {
    super("RATE_LIMITED", ...args);
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;

export const orderChangedError = (current: { version: number; status: string }) =>
  new ConflictError("order_changed", "This order changed meanwhile. Here is what it looks like now.", { version: current.version, status: current.status });

export const restaurantPausedError = () =>
  new PreconditionError("restaurant_paused", "This restaurant is paused by the platform: Poster sync and supplies wait until it is resumed.");

export const restaurantDisabledError = (reason: string | null) =>
  new PreconditionError("restaurant_disabled", "This restaurant is disabled by the platform: no Poster sync and no Poster writes.", { reason });

export const notReplayableError = (message: string) => new ConflictError("not_replayable", message);

export const switchedOffError = (flag: string, message: string) => new PreconditionError("switched_off", message, { flag });

export const crossSiteError = (appUrl: string) => new ForbiddenError("cross_site", `Cross-site request refused: open this app at ${appUrl}.`, { appUrl });
