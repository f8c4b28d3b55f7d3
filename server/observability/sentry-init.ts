import * as Sentry from "@sentry/nextjs";
import { env } from "@/server/env";
import { sentryBeforeBreadcrumb, sentryBeforeSend } from "./sentry";

/**
 * Server and edge: reporting is on only when SENTRY_DSN is set; every event is scrubbed of secrets first.
 * `transport` is for tests (a transport that records what would be sent).
 */
export function initServerSentry(options: { transport?: Sentry.NodeOptions["transport"] } = {}): void {
  const { SENTRY_DSN: dsn, SENTRY_TRACES_SAMPLE_RATE: tracesSampleRate, NODE_ENV } = env();
  if (!dsn) return;
  Sentry.init({
    dsn,
    environment: process.env.VERCEL_ENV ?? NODE_ENV,
    tracesSampleRate,
    sendDefaultPii: false,
    beforeSend: sentryBeforeSend,
    beforeBreadcrumb: sentryBeforeBreadcrumb,
    ...(options.transport ? { transport: options.transport } : {}),
  });
}
