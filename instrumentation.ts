import * as Sentry from "@sentry/nextjs";

export async function register() {
  const { initServerSentry } = await import("./server/observability/sentry-init");
  initServerSentry();
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Metrics go out over OTLP only when the standard OTEL_EXPORTER_OTLP_* variables say where.
    const { startOtlpMetrics } = await import("./server/observability/otel");
    await startOtlpMetrics();
    const { installPeerAddressHook } = await import("./server/security/peer-address-hook");
    installPeerAddressHook();
    const { onServerStart } = await import("./server/startup");
    await onServerStart();
  }
}

/** Errors thrown while rendering or in route handlers (a no-op without a DSN). */
export const onRequestError = Sentry.captureRequestError;
