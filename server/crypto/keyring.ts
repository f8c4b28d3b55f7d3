import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Keys for secrets at rest. TOKEN_ENCRYPTION_KEYS = "kid1:base64,kid2:base64"; the last one encrypts,
 * all of them decrypt, so a key can be rotated by appending a new one and re-encrypting over time.
 * Error messages name entries by position and kid, never by key material.
 */

export const KEY_BYTES = 32;
/** Kids appear inside the sealed string, whose separator is "."; keep them short and plain. */
const KID_SHAPE = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64_SHAPE = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

export interface Keyring {
  /** The newest key: used for every new encryption. */
  readonly currentKid: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export class KeyringConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyringConfigError";
  }
}

export function parseKeyring(spec: string, source = "TOKEN_ENCRYPTION_KEYS"): Keyring {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) throw new KeyringConfigError(`${source} is empty: expected "kid:base64key[,kid:base64key...]"`);

  const keys = new Map<string, Buffer>();
  let currentKid = "";
  entries.forEach((entry, i) => {
    const where = `${source} entry ${i + 1}`;
    const sep = entry.indexOf(":");
    if (sep <= 0) throw new KeyringConfigError(`${where}: expected "kid:base64key" (missing kid or ":")`);
    const kid = entry.slice(0, sep).trim();
    const encoded = entry.slice(sep + 1).trim();
    if (!KID_SHAPE.test(kid)) throw new KeyringConfigError(`${where}: kid must be 1-32 characters of A-Z a-z 0-9 _ -`);
    if (keys.has(kid)) throw new KeyringConfigError(`${where}: duplicate kid "${kid}"`);
    if (!BASE64_SHAPE.test(encoded)) throw new KeyringConfigError(`${where} (kid "${kid}"): key is not valid base64`);
    const key = Buffer.from(encoded, encoded.includes("-") || encoded.includes("_") ? "base64url" : "base64");
    if (key.length !== KEY_BYTES) {
      throw new KeyringConfigError(`${where} (kid "${kid}"): key must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    keys.set(kid, key);
    currentKid = kid;
  });
  return { currentKid, keys };
}

/** A fresh "kid:base64" entry, e.g. for `TOKEN_ENCRYPTION_KEYS="$OLD,$(new entry)"` during rotation. */
export function generateKeyEntry(kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`): string {
  if (!KID_SHAPE.test(kid)) throw new KeyringConfigError(`kid must be 1-32 characters of A-Z a-z 0-9 _ -`);
  return `${kid}:${randomBytes(KEY_BYTES).toString("base64")}`;
}

export const DEFAULT_DEV_KEY_FILE = ".data/dev-keys.json";

interface DevKeyFile {
  keys: string;
  note?: string;
}

/**
 * Development only: a key generated on first use and kept in the git-ignored .data/ folder, so
 * secrets stored in the local database stay readable across restarts.
 */
export function loadOrCreateDevKeyring(file: string, variable = "TOKEN_ENCRYPTION_KEYS"): Keyring {
  const abs = path.resolve(file);
  const read = (): Keyring => {
    const parsed = JSON.parse(readFileSync(abs, "utf8")) as Partial<DevKeyFile>;
    if (typeof parsed.keys !== "string") throw new KeyringConfigError(`${abs}: missing "keys"; delete the file to regenerate it`);
    return parseKeyring(parsed.keys, abs);
  };
  try {
    return read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      if (err instanceof KeyringConfigError) throw err;
      throw new KeyringConfigError(`${abs} is unreadable (${(err as Error).name}); delete it to regenerate a dev key`);
    }
  }
  mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
  const content: DevKeyFile = {
    keys: generateKeyEntry("dev1"),
    note: `Development key for data at rest. Never use in production; set ${variable} there.`,
  };
  try {
    // "wx": if another process created it in the meantime, use theirs.
    writeFileSync(abs, JSON.stringify(content, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return read();
}

export interface KeyringSource {
  spec: string | undefined;
  /** The environment variable the spec comes from, for messages (TOKEN_ENCRYPTION_KEYS, BACKUP_ENCRYPTION_KEYS). */
  variable?: string;
  nodeEnv: "development" | "test" | "production";
  devKeyFile?: string;
}

export function loadKeyring({ spec, nodeEnv, devKeyFile = DEFAULT_DEV_KEY_FILE, variable = "TOKEN_ENCRYPTION_KEYS" }: KeyringSource): Keyring {
  if (spec !== undefined && spec.trim() !== "") return parseKeyring(spec, variable);
  if (nodeEnv === "production") {
    throw new KeyringConfigError(
      `${variable} is required in production: set it to "kid:base64key" with a random 32-byte key (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return loadOrCreateDevKeyring(devKeyFile, variable);
}
