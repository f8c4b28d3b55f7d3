import * as Sentry from "@sentry/nextjs";

export async function register() {
  const { initServerSentry } = await import("./server/observability/sentry-init");
  initServerSentry();
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerAddressHook } = await import("./server/security/peer-address-hook");
    installPeerAddressHook();
    const { onServerStart } = await import("./server/startup");
    await onServerStart();
  }
}

/** Errors thrown while rendering or in route handlers (a no-op without a DSN). */
export const onRequestError = Sentry.captureRequestError;
