import type { Tx } from "@/db/client";
import { auditLog } from "@/db/schema";
import { withPlatform } from "@/db/scope";
import { log } from "@/server/observability/log";
import { createPosterClient, getDefaultPosterLimiter, posterTarget, type PosterAuthError, type PosterClient } from "@/server/poster";
import { posterTokenStore, type PosterConnectionStatus, type PosterTokenStore } from "./token-store";

/** The restaurant has no usable Poster connection: it must be (re)connected before anything talks to Poster. */
export class PosterNotConnectedError extends Error {
  constructor(readonly restaurantId: string, readonly status: PosterConnectionStatus | "not_connected") {
    super(status === "not_connected" ? "This restaurant is not connected to Poster." : `The Poster connection is ${status.replace("_", " ")}: reconnect Poster.`);
    this.name = "PosterNotConnectedError";
  }
}

const USABLE: ReadonlySet<PosterConnectionStatus> = new Set(["active", "expiring"]);

export function isUsableConnection(status: PosterConnectionStatus): boolean {
  return USABLE.has(status);
}

const pendingMarks = new Set<Promise<void>>();

/**
 * Marks the connection "needs reconnect" and audits it, in its own platform transaction so it survives a
 * rollback of whatever the caller was doing. Not awaited by the client callback: the caller may hold an open
 * transaction, and the embedded database runs one transaction at a time.
 */
export function markNeedsReconnect(restaurantId: string, err: Pick<PosterAuthError, "code" | "reason">, store: PosterTokenStore = posterTokenStore): Promise<void> {
  const p = withPlatform("jobs", async (tx) => {
    await store.markStatus(tx, restaurantId, "needs_reconnect", `Poster rejected the token (${err.reason}, code ${err.code})`);
    await tx.insert(auditLog).values({ restaurantId, action: "poster.needs_reconnect", targetType: "poster_connection", data: { code: err.code, reason: err.reason } });
  }).catch((error: unknown) => log.error("could not mark the Poster connection for reconnect", { restaurantId, error }));
  pendingMarks.add(p);
  void p.finally(() => pendingMarks.delete(p));
  return p;
}

/** Resolves when every "needs reconnect" mark started so far has been written (tests, graceful shutdown). */
export async function settleConnectionMarks(): Promise<void> {
  await Promise.all([...pendingMarks]);
}

/**
 * A Poster client for the restaurant: its decrypted token, the shared per-account limiter, real Poster or the
 * simulator. A rejected token marks the connection "needs reconnect" and the client refuses further calls.
 * Throws PosterNotConnectedError unless the connection is active or expiring.
 */
export async function getPosterClientForRestaurant(tx: Tx, restaurantId: string, store: PosterTokenStore = posterTokenStore): Promise<PosterClient> {
  const stored = await store.load(tx, restaurantId);
  if (!stored) throw new PosterNotConnectedError(restaurantId, "not_connected");
  if (!isUsableConnection(stored.status)) throw new PosterNotConnectedError(restaurantId, stored.status);
  const target = posterTarget(stored.accountLogin);
  return createPosterClient({
    baseUrl: target.baseUrl,
    ...(target.fetch ? { fetch: target.fetch } : {}),
    accountNumber: stored.accountNumber,
    token: stored.token,
    limiter: getDefaultPosterLimiter(),
    onAuthFailure: (err) => {
      void markNeedsReconnect(restaurantId, err, store);
    },
  });
}
