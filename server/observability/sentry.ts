import type { Breadcrumb, ErrorEvent, EventHint, Exception } from "@sentry/nextjs";
import { redact, redactString, REDACTED } from "@/server/observability/redact";

type QueryString = NonNullable<NonNullable<ErrorEvent["request"]>["query_string"]>;

function redactQuery(query: QueryString): QueryString {
  if (typeof query === "string") {
    // Sentry sends the raw query without "?"; prefix it so the param pattern sees a boundary.
    return redactString(`?${query}`).slice(1);
  }
  if (Array.isArray(query)) {
    return query.map(([k, v]) => [k, (redact({ [k]: v }) as Record<string, string>)[k] ?? REDACTED]) as QueryString;
  }
  return redact(query) as QueryString;
}

function redactRequest(request: NonNullable<ErrorEvent["request"]>): NonNullable<ErrorEvent["request"]> {
  const out = { ...request };
  if (out.url) out.url = redactString(out.url);
  if (out.query_string !== undefined) out.query_string = redactQuery(out.query_string);
  if (out.headers) out.headers = redact(out.headers) as Record<string, string>;
  // Every cookie here is a session or CSRF token; the names are enough for debugging.
  if (out.cookies) out.cookies = Object.fromEntries(Object.keys(out.cookies).map((k) => [k, REDACTED]));
  // A request body is user content (order messages, notes, names): its size is enough for debugging.
  if (out.data !== undefined) out.data = REDACTED;
  if (out.env) out.env = redact(out.env) as Record<string, string>;
  return out;
}

function redactException(ex: Exception): Exception {
  const out = { ...ex };
  if (out.value) out.value = redactString(out.value);
  const frames = out.stacktrace?.frames;
  if (out.stacktrace && frames) {
    out.stacktrace = {
      ...out.stacktrace,
      // Source lines around each frame (ContextLines) can quote literals; local variables are redacted by name.
      frames: frames.map((f) => ({
        ...f,
        ...(f.vars ? { vars: redact(f.vars) as Record<string, unknown> } : {}),
        ...(f.context_line !== undefined ? { context_line: redactString(f.context_line) } : {}),
        ...(f.pre_context ? { pre_context: f.pre_context.map(redactString) } : {}),
        ...(f.post_context ? { post_context: f.post_context.map(redactString) } : {}),
      })),
    };
  }
  return out;
}

function redactBreadcrumb(b: Breadcrumb): Breadcrumb {
  const out = { ...b };
  if (out.message) out.message = redactString(out.message);
  if (out.data) out.data = redact(out.data) as Record<string, unknown>;
  return out;
}

/** E-mail addresses anywhere in an event (an error message that quotes a failed insert, a tag, a breadcrumb). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** The event as Sentry will serialise it, with every e-mail address masked (JSON escapes cannot hide one). */
function maskEmails(event: ErrorEvent): ErrorEvent {
  const json = JSON.stringify(event);
  const masked = json.replace(EMAIL, "[email]");
  return masked === json ? event : (JSON.parse(masked) as ErrorEvent);
}

/**
 * Sentry `beforeSend`: the same redaction as our logs, applied to every part of an event that can
 * carry user input or credentials, then every e-mail address masked. Returns a new event; never drops one.
 */
export function sentryBeforeSend(event: ErrorEvent, _hint?: EventHint): ErrorEvent {
  const out: ErrorEvent = { ...event };
  if (out.message) out.message = redactString(out.message);
  if (out.logentry) {
    out.logentry = {
      ...out.logentry,
      message: out.logentry.message && redactString(out.logentry.message),
      params: out.logentry.params && (redact(out.logentry.params) as unknown[]),
    };
  }
  if (out.request) out.request = redactRequest(out.request);
  if (out.extra) out.extra = redact(out.extra) as ErrorEvent["extra"];
  if (out.contexts) out.contexts = redact(out.contexts) as ErrorEvent["contexts"];
  if (out.tags) out.tags = redact(out.tags) as ErrorEvent["tags"];
  if (out.breadcrumbs) out.breadcrumbs = out.breadcrumbs.map(redactBreadcrumb);
  if (out.exception?.values) out.exception = { ...out.exception, values: out.exception.values.map(redactException) };
  if (out.transaction) out.transaction = redactString(out.transaction);
  if (out.user) out.user = out.user.id ? { id: out.user.id } : {};
  return maskEmails(out);
}

/** Same redaction for breadcrumbs as they are recorded (`beforeBreadcrumb`). */
export function sentryBeforeBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  return redactBreadcrumb(breadcrumb);
}
