import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/server/env";
import { loadKeyring, type Keyring } from "@/server/crypto/keyring";

export { generateKeyEntry, parseKeyring, KeyringConfigError, type Keyring } from "@/server/crypto/keyring";

/**
 * Secrets at rest (Poster tokens): AES-256-GCM, sealed as
 *   v1.<kid>.<iv b64url>.<tag b64url>.<ciphertext b64url>
 * The version and kid are authenticated together with the caller's `aad` (e.g. the restaurant id),
 * so a sealed value copied to another row, or relabelled with another kid, fails to open.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretOptions {
  /** Context the secret belongs to (restaurant id, column name); must be the same to decrypt. */
  aad?: string;
  /** Defaults to the keyring from the environment. */
  keyring?: Keyring;
}

export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptError";
  }
}

let cachedKeyring: Keyring | undefined;

export function getKeyring(): Keyring {
  if (!cachedKeyring) {
    const { TOKEN_ENCRYPTION_KEYS, NODE_ENV } = env();
    cachedKeyring = loadKeyring({ spec: TOKEN_ENCRYPTION_KEYS, nodeEnv: NODE_ENV });
  }
  return cachedKeyring;
}

export function resetKeyringForTests(): void {
  cachedKeyring = undefined;
}

function associatedData(kid: string, aad: string | undefined): Buffer {
  // NUL separates the header from the caller's context so "a"+"b.c" ≠ "a.b"+"c".
  return Buffer.from(`${VERSION}.${kid}\u0000${aad ?? ""}`, "utf8");
}

export function encryptSecret(plaintext: string, options: SecretOptions = {}): string {
  const keyring = options.keyring ?? getKeyring();
  const kid = keyring.currentKid;
  const key = keyring.keys.get(kid);
  if (!key) throw new Error(`Keyring has no key for its current kid "${kid}"`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(kid, options.aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, kid, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

interface Sealed {
  kid: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function parseSealed(blob: string): Sealed {
  const parts = blob.split(".");
  if (parts.length !== 5) throw new SecretDecryptError("Malformed sealed secret: expected 5 dot-separated parts");
  const [version, kid, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw new SecretDecryptError(`Unsupported sealed secret version "${version.slice(0, 8)}"`);
  if (!kid || ![iv, tag, ciphertext].every((p) => B64URL.test(p))) {
    throw new SecretDecryptError("Malformed sealed secret: bad kid or encoding");
  }
  const sealed = {
    kid,
    iv: Buffer.from(iv, "base64url"),
    tag: Buffer.from(tag, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
  };
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new SecretDecryptError("Malformed sealed secret: bad iv or tag length");
  }
  return sealed;
}

export function decryptSecret(blob: string, options: SecretOptions = {}): string {
  const keyring = options.keyring ?? getKeyring();
  const { kid, iv, tag, ciphertext } = parseSealed(blob);
  const key = keyring.keys.get(kid);
  if (!key) throw new SecretDecryptError(`Cannot decrypt secret: unknown key id "${kid}" (was it removed from TOKEN_ENCRYPTION_KEYS?)`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(kid, options.aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError("Cannot decrypt secret: authentication failed (tampered data, wrong key or wrong context)");
  }
}

/** True when the value was sealed with an older key and should be re-encrypted with the current one. */
export function needsReencryption(blob: string, options: Pick<SecretOptions, "keyring"> = {}): boolean {
  const keyring = options.keyring ?? getKeyring();
  return parseSealed(blob).kid !== keyring.currentKid;
}

/** Decrypts with any known key and re-seals with the current one (same `aad`). */
export function reencryptSecret(blob: string, options: SecretOptions = {}): string {
  return encryptSecret(decryptSecret(blob, options), options);
}

/** Cheap shape check, e.g. to tell a sealed value from a legacy plaintext column during migration. */
export function isSealedSecret(value: string): boolean {
  try {
    parseSealed(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Binary data at rest (backup chunks, data exports): the same AES-256-GCM and keyring as the sealed strings,
 * laid out as bytes: "RCS1" | kid length (1 byte) | kid | iv (12) | tag (16) | ciphertext. The magic, the kid
 * and the caller's `aad` (e.g. the object's name) are authenticated, so a chunk moved to another name, cut
 * short or changed by one bit fails to open.
 */
const BYTES_MAGIC = Buffer.from("RCS1", "latin1");

function bytesAssociatedData(kid: string, aad: string | undefined): Buffer {
  return Buffer.concat([BYTES_MAGIC, Buffer.from(kid, "utf8"), Buffer.from([0]), Buffer.from(aad ?? "", "utf8")]);
}

export function sealBytes(plaintext: Buffer, options: SecretOptions & { keyring: Keyring }): Buffer {
  const { keyring } = options;
  const kid = keyring.currentKid;
  const key = keyring.keys.get(kid);
  if (!key) throw new Error(`Keyring has no key for its current kid "${kid}"`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(bytesAssociatedData(kid, options.aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const kidBytes = Buffer.from(kid, "utf8");
  return Buffer.concat([BYTES_MAGIC, Buffer.from([kidBytes.length]), kidBytes, iv, cipher.getAuthTag(), ciphertext]);
}

export function openBytes(sealed: Buffer, options: SecretOptions & { keyring: Keyring }): Buffer {
  if (sealed.length < BYTES_MAGIC.length + 1 || !sealed.subarray(0, BYTES_MAGIC.length).equals(BYTES_MAGIC)) {
    throw new SecretDecryptError("Not a sealed object (bad header)");
  }
  const kidLength = sealed[BYTES_MAGIC.length]!;
  const kidStart = BYTES_MAGIC.length + 1;
  const ivStart = kidStart + kidLength;
  const tagStart = ivStart + IV_BYTES;
  const dataStart = tagStart + TAG_BYTES;
  if (kidLength === 0 || sealed.length < dataStart) throw new SecretDecryptError("Not a sealed object (truncated header)");
  const kid = sealed.subarray(kidStart, ivStart).toString("utf8");
  const key = options.keyring.keys.get(kid);
  if (!key) throw new SecretDecryptError(`Cannot decrypt: unknown key id "${kid}" (was it removed from the keys?)`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(ivStart, tagStart), { authTagLength: TAG_BYTES });
    decipher.setAAD(bytesAssociatedData(kid, options.aad));
    decipher.setAuthTag(sealed.subarray(tagStart, dataStart));
    return Buffer.concat([decipher.update(sealed.subarray(dataStart)), decipher.final()]);
  } catch {
    throw new SecretDecryptError("Cannot decrypt: authentication failed (tampered data, wrong key or wrong name)");
  }
}
