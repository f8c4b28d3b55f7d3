import * as Sentry from "@sentry/nextjs";
import { z } from "zod";
import { sentryBeforeBreadcrumb, sentryBeforeSend } from "./server/observability/sentry";

// The Content-Security-Policy allows no eval: zod must not even try its compiled fast path (the attempt alone is a
// reported violation), so it parses the plain way in the browser.
z.config({ jitless: true });

// Browser errors, only when a public DSN is configured; scrubbed like the server's.
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
if (dsn) {
  Sentry.init({ dsn, sendDefaultPii: false, tracesSampleRate: 0, beforeSend: sentryBeforeSend, beforeBreadcrumb: sentryBeforeBreadcrumb });
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
