import { randomBytes } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { auditLog, posterConnections } from "@/db/schema";
import { rotateTokenKeys } from "@/server/crypto/rotate";
import { decryptSecret, encryptSecret, generateKeyEntry, parseKeyring } from "@/server/crypto/secrets";
import { closeDatabase, createRestaurant, openTestDatabase, testDatabaseKind } from "../support/database";

const oldEntry = generateKeyEntry("k-old");
const newEntry = generateKeyEntry("k-new");
const oldRing = parseKeyring(oldEntry);
const bothRing = parseKeyring(`${oldEntry},${newEntry}`);

describe(`keys:rotate (${testDatabaseKind()})`, () => {
  const tokens = new Map<string, string>(); // restaurant id → plaintext token
  const ids: string[] = [];
  let tamperedId: string;

  beforeAll(async () => {
    await openTestDatabase();
    for (let i = 0; i < 5; i++) {
      const r = await createRestaurant();
      const token = `${700000 + i}:${randomBytes(16).toString("hex")}`;
      tokens.set(r.id, token);
      const [row] = await withPlatform("test", (tx) =>
        tx
          .insert(posterConnections)
          .values({ restaurantId: r.id, accountNumber: String(700000 + i), accountLogin: `rot-${i}`, tokenCiphertext: encryptSecret(token, { aad: r.id, keyring: oldRing }), tokenKeyId: "k-old" })
          .returning({ id: posterConnections.id }),
      );
      ids.push(row!.id);
    }
    // Sealed for another restaurant (copied row): must fail to open under its own aad and be left alone.
    const stray = await createRestaurant();
    const [bad] = await withPlatform("test", (tx) =>
      tx
        .insert(posterConnections)
        .values({ restaurantId: stray.id, accountNumber: "799999", accountLogin: "rot-bad", tokenCiphertext: encryptSecret("1:x", { aad: "someone-else", keyring: oldRing }), tokenKeyId: "k-old" })
        .returning({ id: posterConnections.id }),
    );
    tamperedId = bad!.id;
  });
  afterAll(closeDatabase);

  const mine = () => withPlatform("test", (tx) => tx.select().from(posterConnections).where(inArray(posterConnections.id, [...ids, tamperedId])));

  it("re-encrypts every token under the newest key, in batches, to the same plaintext", async () => {
    const before = await mine();
    const result = await rotateTokenKeys({ keyring: bothRing, batchSize: 2 });
    expect(result.keyId).toBe("k-new");
    expect(result.rotated).toBeGreaterThanOrEqual(5);
    expect(result.failed).toBeGreaterThanOrEqual(1);

    const after = await mine();
    for (const row of after.filter((r) => r.id !== tamperedId)) {
      expect(row.tokenKeyId).toBe("k-new");
      expect(row.tokenCiphertext!.split(".")[1]).toBe("k-new");
      expect(row.tokenCiphertext).not.toBe(before.find((b) => b.id === row.id)!.tokenCiphertext);
      expect(decryptSecret(row.tokenCiphertext!, { aad: row.restaurantId, keyring: bothRing })).toBe(tokens.get(row.restaurantId));
      // Old key alone can no longer open it.
      expect(() => decryptSecret(row.tokenCiphertext!, { aad: row.restaurantId, keyring: oldRing })).toThrow();
    }
    const stray = after.find((r) => r.id === tamperedId)!;
    expect(stray.tokenCiphertext).toBe(before.find((b) => b.id === tamperedId)!.tokenCiphertext);
    expect(stray.tokenKeyId).toBe("k-old");

    const [audit] = await withPlatform("test", (tx) => tx.select().from(auditLog).where(eq(auditLog.action, "token_rotation")).orderBy(desc(auditLog.createdAt)).limit(1));
    expect(audit!.data).toMatchObject({ keyId: "k-new", rotated: result.rotated, failed: result.failed });
    for (const token of tokens.values()) expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("changes nothing on a second run", async () => {
    const before = await mine();
    const again = await rotateTokenKeys({ keyring: bothRing, batchSize: 2 });
    expect(again.rotated).toBe(0);
    expect(await mine()).toEqual(before);
  });
});
