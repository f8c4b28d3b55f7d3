import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  generateKeyEntry,
  getKeyring,
  isSealedSecret,
  needsReencryption,
  parseKeyring,
  reencryptSecret,
  resetKeyringForTests,
  SecretDecryptError,
} from "@/server/crypto/secrets";
import { loadKeyring, loadOrCreateDevKeyring } from "@/server/crypto/keyring";
import { resetEnvForTests } from "@/server/env";

const k = (kid: string) => `${kid}:${randomBytes(32).toString("base64")}`;
const tmp = mkdtempSync(path.join(tmpdir(), "secrets-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function flip(blob: string, part: number): string {
  const parts = blob.split(".");
  const buf = Buffer.from(parts[part]!, "base64url");
  buf[0] = buf[0]! ^ 0x01;
  parts[part] = buf.toString("base64url");
  return parts.join(".");
}

describe("encryptSecret / decryptSecret", () => {
  const keyring = parseKeyring(k("a1"));

  it("roundtrips, with a fresh iv every time", () => {
    const secret = "123456:0123456789abcdef0123456789abcdef";
    const a = encryptSecret(secret, { keyring, aad: "restaurant-1" });
    const b = encryptSecret(secret, { keyring, aad: "restaurant-1" });
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.a1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain("0123456789abcdef");
    expect(decryptSecret(a, { keyring, aad: "restaurant-1" })).toBe(secret);
    expect(decryptSecret(encryptSecret("", { keyring }), { keyring })).toBe("");
    expect(decryptSecret(encryptSecret("ключ ✓", { keyring }), { keyring })).toBe("ключ ✓");
  });

  it("detects tampering of iv, tag, ciphertext, kid and aad", () => {
    const blob = encryptSecret("secret-value", { keyring, aad: "r1" });
    for (const part of [2, 3, 4]) {
      expect(() => decryptSecret(flip(blob, part), { keyring, aad: "r1" })).toThrow(SecretDecryptError);
    }
    expect(() => decryptSecret(blob, { keyring, aad: "r2" })).toThrow(/authentication failed/);
    expect(() => decryptSecret(blob, { keyring })).toThrow(SecretDecryptError);
    // Same key under another kid: the kid is authenticated too.
    const key = keyring.keys.get("a1")!;
    const twin = parseKeyring(`a1:${key.toString("base64")},a2:${key.toString("base64")}`);
    expect(() => decryptSecret(blob.replace(/^v1\.a1\./, "v1.a2."), { keyring: twin, aad: "r1" })).toThrow(SecretDecryptError);
    // A different key with the same kid.
    expect(() => decryptSecret(blob, { keyring: parseKeyring(k("a1")), aad: "r1" })).toThrow(SecretDecryptError);
  });

  it("rejects malformed input with clear errors", () => {
    expect(() => decryptSecret("plaintext-token", { keyring })).toThrow(/Malformed/);
    expect(() => decryptSecret("v2.a1.x.y.z", { keyring })).toThrow(/Unsupported/);
    expect(() => decryptSecret("v1.a1.!!.y.z", { keyring })).toThrow(/Malformed/);
    expect(() => decryptSecret("v1.zz.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA", { keyring })).toThrow(/unknown key id "zz"/);
    expect(isSealedSecret(encryptSecret("x", { keyring }))).toBe(true);
    expect(isSealedSecret("123:abc")).toBe(false);
  });
});

describe("rotation", () => {
  it("old kids decrypt, the newest encrypts, needsReencryption tells which", () => {
    const old = k("2024a");
    const oldRing = parseKeyring(old);
    const sealedOld = encryptSecret("tok", { keyring: oldRing, aad: "r" });

    const rotated = parseKeyring(`${old},${k("2025a")}`);
    expect(rotated.currentKid).toBe("2025a");
    expect(decryptSecret(sealedOld, { keyring: rotated, aad: "r" })).toBe("tok");
    expect(needsReencryption(sealedOld, { keyring: rotated })).toBe(true);

    const fresh = reencryptSecret(sealedOld, { keyring: rotated, aad: "r" });
    expect(fresh.startsWith("v1.2025a.")).toBe(true);
    expect(needsReencryption(fresh, { keyring: rotated })).toBe(false);
    expect(decryptSecret(fresh, { keyring: rotated, aad: "r" })).toBe("tok");
    // Once the old key is dropped, old values are unreadable (hence re-encrypt before removing it).
    expect(() => decryptSecret(sealedOld, { keyring: parseKeyring(k("2025b")), aad: "r" })).toThrow(/unknown key id/);
  });
});

describe("keyring configuration", () => {
  it("accepts base64 and base64url keys and whitespace", () => {
    const key = randomBytes(32);
    const ring = parseKeyring(` a:${key.toString("base64")} , b:${key.toString("base64url")} `);
    expect([...ring.keys.keys()]).toEqual(["a", "b"]);
    expect(ring.keys.get("b")!.equals(key)).toBe(true);
    expect(generateKeyEntry("x1")).toMatch(/^x1:[A-Za-z0-9+/]{43}=$/);
  });

  it("rejects bad configurations without echoing key material", () => {
    const short = Buffer.from("0123456789abcdef").toString("base64");
    const cases: [string, RegExp][] = [
      ["", /empty/],
      ["nokid", /missing kid/],
      [`:${short}`, /missing kid/],
      [`a:${short}`, /must be 32 bytes, got 16/],
      ["a:not base64!!", /not valid base64/],
      [`a.b:${randomBytes(32).toString("base64")}`, /kid must be/],
      [`${k("a")},${k("a")}`, /duplicate kid "a"/],
    ];
    for (const [spec, message] of cases) {
      let error: unknown;
      try {
        parseKeyring(spec);
      } catch (e) {
        error = e;
      }
      expect(error, spec).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      const material = spec.split(",").map((e) => e.split(":")[1] ?? "").filter((m) => m.length > 8);
      for (const m of material) expect((error as Error).message).not.toContain(m);
    }
  });

  it("requires TOKEN_ENCRYPTION_KEYS in production", () => {
    expect(() => loadKeyring({ spec: undefined, nodeEnv: "production", devKeyFile: path.join(tmp, "never.json") })).toThrow(
      /TOKEN_ENCRYPTION_KEYS is required in production/,
    );
    expect(() => loadKeyring({ spec: "  ", nodeEnv: "production" })).toThrow(/required in production/);
  });
});

describe("development key file", () => {
  it("is created once with mode 0600 and reused", () => {
    const file = path.join(tmp, "nested", ".data", "dev-keys.json");
    const first = loadKeyring({ spec: undefined, nodeEnv: "development", devKeyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = encryptSecret("persisted", { keyring: first });
    const second = loadOrCreateDevKeyring(file);
    expect(second.currentKid).toBe(first.currentKid);
    expect(decryptSecret(sealed, { keyring: second })).toBe("persisted");
    expect(JSON.parse(readFileSync(file, "utf8"))).toHaveProperty("keys");
  });

  it("reports a corrupt file without leaking its content", () => {
    const file = path.join(tmp, "corrupt.json");
    writeFileSync(file, "{ not json SECRETSTUFF");
    expect(() => loadOrCreateDevKeyring(file)).toThrow(/unreadable/);
    try {
      loadOrCreateDevKeyring(file);
    } catch (e) {
      expect((e as Error).message).not.toContain("SECRETSTUFF");
    }
  });
});

describe("getKeyring from the environment", () => {
  const saved = process.env.TOKEN_ENCRYPTION_KEYS;
  beforeEach(() => {
    resetEnvForTests();
    resetKeyringForTests();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TOKEN_ENCRYPTION_KEYS;
    else process.env.TOKEN_ENCRYPTION_KEYS = saved;
    resetEnvForTests();
    resetKeyringForTests();
  });

  it("uses TOKEN_ENCRYPTION_KEYS when set", () => {
    process.env.TOKEN_ENCRYPTION_KEYS = `${k("old")},${k("new")}`;
    expect(getKeyring().currentKid).toBe("new");
    const sealed = encryptSecret("x", { aad: "r" });
    expect(sealed.startsWith("v1.new.")).toBe(true);
    expect(decryptSecret(sealed, { aad: "r" })).toBe("x");
  });
});
