import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { posterConnections } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";

export type PosterConnectionStatus = (typeof posterConnections.$inferSelect)["status"];

export interface StoredPosterToken {
  accountNumber: string;
  accountLogin: string;
  /** Plaintext token: keep it in memory only, never log or return it. */
  token: string;
  status: PosterConnectionStatus;
}

export interface PosterTokenInput {
  accountNumber: string;
  accountLogin: string;
  token: string;
}

/**
 * Where a restaurant's Poster credentials live. Poster tokens do not refresh, but the interface is kept narrow
 * so a provider with refresh tokens could plug in behind it. `tx` is a tenant or platform transaction.
 */
export interface PosterTokenStore {
  /** Null when there is no connection or its token was cleared (disconnected). */
  load(tx: Tx, restaurantId: string): Promise<StoredPosterToken | null>;
  /** Stores (or replaces) the token; the connection becomes active. */
  save(tx: Tx, restaurantId: string, input: PosterTokenInput, options?: { connectedBy?: string | null }): Promise<void>;
  markStatus(tx: Tx, restaurantId: string, status: PosterConnectionStatus, error?: string | null): Promise<void>;
  /** Forgets the token and marks the connection disconnected. */
  clear(tx: Tx, restaurantId: string): Promise<void>;
}

/** "v1.<kid>.<iv>.<tag>.<ciphertext>": the kid is stored beside it so key rotation can find old rows. */
function kidOf(sealed: string): string {
  return sealed.split(".")[1] ?? "";
}

/**
 * poster_connections with the token sealed by AES-256-GCM, bound to the restaurant id (aad), so a ciphertext
 * copied to another restaurant's row does not open. The key-rotation script re-encrypts with the same aad.
 */
export const encryptedPosterTokenStore: PosterTokenStore = {
  async load(tx, restaurantId) {
    const [row] = await tx
      .select({
        accountNumber: posterConnections.accountNumber,
        accountLogin: posterConnections.accountLogin,
        tokenCiphertext: posterConnections.tokenCiphertext,
        status: posterConnections.status,
      })
      .from(posterConnections)
      .where(eq(posterConnections.restaurantId, restaurantId));
    if (!row?.tokenCiphertext) return null;
    return {
      accountNumber: row.accountNumber,
      accountLogin: row.accountLogin,
      token: decryptSecret(row.tokenCiphertext, { aad: restaurantId }),
      status: row.status,
    };
  },

  async save(tx, restaurantId, input, options = {}) {
    const sealed = encryptSecret(input.token, { aad: restaurantId });
    const values = {
      accountNumber: input.accountNumber,
      accountLogin: input.accountLogin,
      tokenCiphertext: sealed,
      tokenKeyId: kidOf(sealed),
      status: "active" as const,
      lastError: null,
      lastCheckedAt: new Date(),
      connectedAt: new Date(),
      ...(options.connectedBy !== undefined ? { connectedBy: options.connectedBy } : {}),
    };
    await tx
      .insert(posterConnections)
      .values({ restaurantId, ...values })
      .onConflictDoUpdate({ target: posterConnections.restaurantId, set: { ...values, updatedAt: new Date() } });
  },

  async markStatus(tx, restaurantId, status, error) {
    await tx
      .update(posterConnections)
      .set({ status, lastCheckedAt: new Date(), ...(error !== undefined ? { lastError: error } : {}) })
      .where(eq(posterConnections.restaurantId, restaurantId));
  },

  async clear(tx, restaurantId) {
    await tx
      .update(posterConnections)
      .set({ status: "disconnected", tokenCiphertext: null, tokenKeyId: null, lastError: null })
      .where(eq(posterConnections.restaurantId, restaurantId));
  },
};

/** The store the app uses. */
export const posterTokenStore: PosterTokenStore = encryptedPosterTokenStore;

/** What the UI and admin area may see of a connection: never the token. */
export async function getConnectionStatus(tx: Tx, restaurantId: string) {
  const [row] = await tx
    .select({
      accountNumber: posterConnections.accountNumber,
      accountLogin: posterConnections.accountLogin,
      status: posterConnections.status,
      lastCheckedAt: posterConnections.lastCheckedAt,
      lastError: posterConnections.lastError,
      connectedAt: posterConnections.connectedAt,
    })
    .from(posterConnections)
    .where(eq(posterConnections.restaurantId, restaurantId));
  return row ?? null;
}
