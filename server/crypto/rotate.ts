import { and, asc, eq, isNotNull, notInArray, or, sql } from "drizzle-orm";
import { withPlatform } from "@/db/scope";
import { auditLog, posterConnections } from "@/db/schema";
import { getKeyring, reencryptSecret, type Keyring } from "@/server/crypto/secrets";
import { log } from "@/server/observability/log";

export interface RotationResult {
  keyId: string;
  rotated: number;
  /** Tokens that could not be decrypted (their key is gone or the row was tampered with); left as they are. */
  failed: number;
}

/**
 * Re-encrypts every Poster token that is not under the newest key (TOKEN_ENCRYPTION_KEYS' last entry), in batches,
 * each batch its own transaction. Tokens are sealed with `aad = restaurant id` (as the Poster connection stores
 * them). A row is rewritten only if its ciphertext is still the one read, so a concurrent reconnect wins and
 * nothing is lost; re-running after an interruption continues where it stopped, and a second run changes nothing.
 * The run is audited with its counts, never a token.
 */
export async function rotateTokenKeys(options: { keyring?: Keyring; batchSize?: number } = {}): Promise<RotationResult> {
  const keyring = options.keyring ?? getKeyring();
  const batchSize = options.batchSize ?? 100;
  const kid = keyring.currentKid;
  const failedIds: string[] = [];
  let rotated = 0;

  for (;;) {
    const batch = await withPlatform("keys", async (tx) => {
      const rows = await tx
        .select({ id: posterConnections.id, restaurantId: posterConnections.restaurantId, ciphertext: posterConnections.tokenCiphertext })
        .from(posterConnections)
        .where(
          and(
            isNotNull(posterConnections.tokenCiphertext),
            // The kid column, and the kid inside the sealed value, which is what decryption really uses.
            or(sql`${posterConnections.tokenKeyId} is distinct from ${kid}`, sql`split_part(${posterConnections.tokenCiphertext}, '.', 2) <> ${kid}`),
            failedIds.length ? notInArray(posterConnections.id, failedIds) : undefined,
          ),
        )
        .orderBy(asc(posterConnections.id))
        .limit(batchSize);
      let done = 0;
      for (const row of rows) {
        let sealed: string;
        try {
          sealed = reencryptSecret(row.ciphertext!, { aad: row.restaurantId, keyring });
        } catch (err) {
          failedIds.push(row.id);
          log.error("token rotation: cannot decrypt a token", { connectionId: row.id, restaurantId: row.restaurantId, error: (err as Error).message });
          continue;
        }
        const updated = await tx
          .update(posterConnections)
          .set({ tokenCiphertext: sealed, tokenKeyId: kid, updatedAt: new Date() })
          .where(and(eq(posterConnections.id, row.id), eq(posterConnections.tokenCiphertext, row.ciphertext!)))
          .returning({ id: posterConnections.id });
        done += updated.length;
      }
      return { size: rows.length, done };
    });
    rotated += batch.done;
    if (batch.size < batchSize) break;
  }

  const result = { keyId: kid, rotated, failed: failedIds.length };
  await withPlatform("keys", (tx) => tx.insert(auditLog).values({ action: "token_rotation", targetType: "poster_connections", data: { ...result } }));
  log.info("token rotation finished", { ...result });
  return result;
}
