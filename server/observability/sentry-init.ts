import * as Sentry from "@sentry/nextjs";
import { env } from "@/server/env";
import { sentryBeforeBreadcrumb, sentryBeforeSend } from "./sentry";

/** Server and edge: reporting is on only when SENTRY_DSN is set; every event is scrubbed of secrets first. */
export function initServerSentry(): void {
  const { SENTRY_DSN: dsn, SENTRY_TRACES_SAMPLE_RATE: tracesSampleRate, NODE_ENV } = env();
  if (!dsn) return;
  Sentry.init({
    dsn,
    environment: process.env.VERCEL_ENV ?? NODE_ENV,
    tracesSampleRate,
    sendDefaultPii: false,
    beforeSend: sentryBeforeSend,
    beforeBreadcrumb: sentryBeforeBreadcrumb,
  });
}
