/**
 * `npm run keys:rotate`: re-encrypts every stored Poster token under the newest key.
 *
 * 1. Add a new key at the END of TOKEN_ENCRYPTION_KEYS (`kid:base64(32 bytes)`, e.g. `openssl rand -base64 32`),
 *    keeping the old ones, and deploy: new tokens are sealed with it, old ones still decrypt.
 * 2. Run this (DATABASE_URL and TOKEN_ENCRYPTION_KEYS as the app has them). Tokens are sealed with
 *    `encryptSecret(token, { aad: restaurantId })`, so they are re-sealed with the same restaurant id.
 * 3. When it reports 0 failed, the old keys can be removed from TOKEN_ENCRYPTION_KEYS.
 *
 * Safe to re-run: batches of 100 in their own transactions, only rows not yet under the newest key.
 */
import { closeDatabase } from "@/db/client";
import { rotateTokenKeys } from "@/server/crypto/rotate";

try {
  const result = await rotateTokenKeys();
  console.log(`Token rotation to key "${result.keyId}": ${result.rotated} re-encrypted, ${result.failed} failed.`);
  process.exitCode = result.failed > 0 ? 1 : 0;
} finally {
  await closeDatabase();
}
