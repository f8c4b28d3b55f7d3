import * as Sentry from "@sentry/nextjs";
import { sentryBeforeBreadcrumb, sentryBeforeSend } from "./server/observability/sentry";

// Browser errors, only when a public DSN is configured; scrubbed like the server's.
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
if (dsn) {
  Sentry.init({ dsn, sendDefaultPii: false, tracesSampleRate: 0, beforeSend: sentryBeforeSend, beforeBreadcrumb: sentryBeforeBreadcrumb });
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
