/**
 * Typed Poster failures. Messages never contain the access token (it travels in the URL query),
 * OAuth codes or secrets: everything that could carry them goes through redactSecrets().
 */
export type PosterAuthReason = "missing" | "invalid" | "expired";

export abstract class PosterError extends Error {
  /** Whether trying again later can succeed (network, 5xx, 429). */
  abstract readonly retryable: boolean;
  constructor(message: string, readonly method?: string) {
    super(method ? `Poster ${method}: ${message}` : `Poster: ${message}`);
    this.name = new.target.name;
  }
}

/** Codes 10 (missing), 11 (invalid/revoked), 12 (expired): the restaurant must reconnect. */
export class PosterAuthError extends PosterError {
  readonly retryable = false;
  /** Not a bug: the restaurant is asked to reconnect (server/observability/report.ts does not report it). */
  readonly expected = true;
  constructor(readonly reason: PosterAuthReason, readonly code: 10 | 11 | 12, message: string, method?: string) {
    super(message, method);
  }
}

/** Codes 20 (app lacks permission) and 54 (access denied). */
export class PosterPermissionError extends PosterError {
  readonly retryable = false;
  constructor(readonly code: 20 | 54, message: string, method?: string) {
    super(message, method);
  }
}

/** Any other Poster error code (32 bad id, 34 missing field, 30 unknown method, ...). Never retried. */
export class PosterApiError extends PosterError {
  readonly retryable = false;
  constructor(readonly code: number, message: string, method?: string, readonly field?: string) {
    super(`error ${code}: ${message}`, method);
  }
}

/** HTTP 429. `retryAfterMs` comes from Retry-After when present. */
export class PosterRateLimitedError extends PosterError {
  readonly retryable = true;
  constructor(readonly retryAfterMs: number | null, method?: string) {
    super(`rate limited${retryAfterMs !== null ? ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)` : ""}`, method);
  }
}

/** Network failure, timeout, HTTP 5xx or an unreadable body: Poster is not answering properly. */
export class PosterUnavailableError extends PosterError {
  readonly retryable = true;
  constructor(readonly kind: "network" | "timeout" | "http" | "invalid-response", message: string, method?: string, readonly status?: number) {
    super(message, method);
  }
}

/** The body was valid JSON but not the shape Poster documents; retrying will not help. */
export class PosterResponseFormatError extends PosterError {
  readonly retryable = false;
  constructor(message: string, method?: string) {
    super(`unexpected response: ${message}`, method);
  }
}

/** OAuth code exchange failure ({code, error_type, error_message}). */
export class PosterOAuthError extends PosterError {
  readonly retryable = false;
  constructor(readonly code: number | null, readonly errorType: string | null, message: string) {
    super(`OAuth ${errorType ?? "error"}${code !== null ? ` ${code}` : ""}: ${message}`);
  }
}

/** Removes secrets, any `token=` query value and anything shaped like a Poster token. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return out
    .replace(/([?&](?:token|code|application_secret|client_secret)=)[^&\s"']*/gi, "$1[redacted]")
    .replace(/\b\d+:[0-9a-f]{32}\b/gi, "[redacted]");
}
