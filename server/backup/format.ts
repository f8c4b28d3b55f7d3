import { createHash, randomBytes } from "node:crypto";
import { Readable, Transform, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { z } from "zod";
import type { SequenceState, TableStats } from "@/db/catalog";
import { loadKeyring, type Keyring } from "@/server/crypto/keyring";
import { openBytes, sealBytes } from "@/server/crypto/secrets";
import { env } from "@/server/env";
import type { ObjectStorage } from "./storage";

/**
 * A backup in storage: `backups/<id>/` holds the data of every table as sealed chunks (gzip, then AES-256-GCM
 * with BACKUP_ENCRYPTION_KEYS, each chunk authenticated with its own name) and, once complete, `manifest.bin`:
 * the sealed list of tables, their chunks (size, sha256), row counts and checksums, and the migration the data
 * belongs to. No manifest = not a backup (yet).
 */
export const BACKUPS_FOLDER = "backups";
export const MANIFEST = "manifest.bin";

const ID_SHAPE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{8}$/;
export const backupIdSchema = z.string().regex(ID_SHAPE, "a backup id such as 20260105T031500Z-1a2b3c4d");

export function newBackupId(at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}

/** When the backup was started, from its id (ids sort by time). */
export function backupTime(id: string): Date | null {
  const m = ID_SHAPE.exec(id);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

export const backupFolder = (id: string) => `${BACKUPS_FOLDER}/${id}/`;
export const manifestKey = (id: string) => `${backupFolder(id)}${MANIFEST}`;

const DEV_BACKUP_KEY_FILE = ".data/dev-backup-keys.json";
let cachedKeyring: Keyring | undefined;

/** BACKUP_ENCRYPTION_KEYS (required in production); in development a key generated into .data/. */
export function backupKeyring(): Keyring {
  cachedKeyring ??= loadKeyring({ spec: env().BACKUP_ENCRYPTION_KEYS, nodeEnv: env().NODE_ENV, devKeyFile: DEV_BACKUP_KEY_FILE, variable: "BACKUP_ENCRYPTION_KEYS" });
  return cachedKeyring;
}

export function resetBackupKeyringForTests(): void {
  cachedKeyring = undefined;
}

export interface ChunkRef {
  /** The object's name inside the backup's folder. */
  name: string;
  bytes: number;
  sha256: string;
}

export interface TableDump extends TableStats {
  name: string;
  columns: string[];
  tenantColumn: string | null;
  /** Size of the table's COPY text before compression. */
  plainBytes: number;
  chunks: ChunkRef[];
}

export interface BackupManifest {
  format: 1;
  id: string;
  /** The time of the snapshot every table was read (or verified) in. */
  snapshotAt: string;
  finishedAt: string;
  database: { kind: "postgres" | "pglite"; version: string };
  migration: { tag: string | null; hash: string; when: number } | null;
  /** Job invocations it took; tables read in an earlier one were verified unchanged in the last one. */
  steps: number;
  tables: TableDump[];
  sequences: SequenceState[];
  /** Per restaurant and table: the rows a one-restaurant restore must end with. */
  restaurants: Record<string, Record<string, TableStats>>;
}

export class BackupIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupIntegrityError";
  }
}

const GATHER_BYTES = 64 * 1024;
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

export async function writeManifest(storage: ObjectStorage, manifest: BackupManifest, keyring: Keyring): Promise<number> {
  const sealed = sealBytes(Buffer.from(JSON.stringify(manifest), "utf8"), { keyring, aad: `${manifest.id}/${MANIFEST}` });
  await storage.put(manifestKey(manifest.id), sealed);
  return sealed.length;
}

/** Opens and authenticates a backup's manifest: a changed, moved or foreign one is refused. */
export async function readManifest(storage: ObjectStorage, id: string, keyring: Keyring): Promise<BackupManifest> {
  const sealed = await storage.get(manifestKey(backupIdSchema.parse(id)));
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(openBytes(sealed, { keyring, aad: `${id}/${MANIFEST}` }).toString("utf8")) as BackupManifest;
  } catch (err) {
    throw new BackupIntegrityError(`The manifest of backup ${id} cannot be opened: ${(err as Error).message}`);
  }
  if (manifest.format !== 1 || manifest.id !== id) throw new BackupIntegrityError(`The manifest of backup ${id} is not one of ours (format ${manifest.format}, id ${manifest.id}).`);
  return manifest;
}

/**
 * The sink one table's COPY text is written into: it counts rows, compresses, cuts the compressed stream into
 * chunks of `chunkBytes`, seals and stores each as it fills (memory stays at about one chunk).
 */
export function tableWriter(options: { storage: ObjectStorage; keyring: Keyring; backupId: string; baseName: string; chunkBytes: number }) {
  let rows = 0;
  let plainBytes = 0;
  const chunks: ChunkRef[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const flush = async (all: boolean) => {
    while (pendingBytes >= options.chunkBytes || (all && (pendingBytes > 0 || chunks.length === 0))) {
      const data = Buffer.concat(pending);
      const piece = data.subarray(0, Math.min(options.chunkBytes, data.length));
      const rest = data.subarray(piece.length);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      const name = `${options.baseName}.${String(chunks.length).padStart(4, "0")}.bin`;
      const sealed = sealBytes(piece, { keyring: options.keyring, aad: `${options.backupId}/${name}` });
      await options.storage.put(`${backupFolder(options.backupId)}${name}`, sealed);
      chunks.push({ name, bytes: sealed.length, sha256: sha256(sealed) });
      if (all && pendingBytes === 0) break;
    }
  };

  // postgres.js hands COPY over one row per chunk: gathered into 64 KiB pieces before gzip (whose every write is
  // a trip to the thread pool), a table reads at network speed instead of a row per event-loop turn (measured).
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      plainBytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      gathered.push(chunk);
      gatheredBytes += chunk.length;
      if (gatheredBytes < GATHER_BYTES) return callback();
      const piece = Buffer.concat(gathered);
      gathered = [];
      gatheredBytes = 0;
      callback(null, piece);
    },
    flush(callback) {
      callback(null, gatheredBytes ? Buffer.concat(gathered) : undefined);
    },
  });
  const store = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      flush(false).then(() => callback(), callback);
    },
    final(callback) {
      flush(true).then(() => callback(), callback);
    },
  });
  const finished = pipeline(counter, createGzip({ level: 6 }), store).then(() => ({ rows, plainBytes, chunks }));
  // The caller awaits `finished` after COPY; keep an early failure from being reported as unhandled meanwhile.
  finished.catch(() => undefined);
  return { sink: counter as Writable, finished };
}

/** A readable stream that ends in the last of `stages`; an error anywhere destroys it with that error. */
function chain(source: Readable, ...stages: Transform[]): Readable {
  const last = stages[stages.length - 1]!;
  pipeline(source, ...(stages as [Transform])).catch(() => undefined);
  return last;
}

/** One table's COPY text back out of its chunks, each checked (size, sha256, authentication) before use. */
export function tableReader(options: { storage: ObjectStorage; keyring: Keyring; backupId: string; table: TableDump }): Readable {
  const { storage, keyring, backupId, table } = options;
  async function* chunks() {
    for (const ref of table.chunks) {
      const sealed = await storage.get(`${backupFolder(backupId)}${ref.name}`).catch((err: unknown) => {
        throw new BackupIntegrityError(`Chunk ${ref.name} of backup ${backupId} is missing: ${(err as Error).message}`);
      });
      if (sealed.length !== ref.bytes || sha256(sealed) !== ref.sha256) throw new BackupIntegrityError(`Chunk ${ref.name} of backup ${backupId} was changed (size or checksum differs).`);
      try {
        yield openBytes(sealed, { keyring, aad: `${backupId}/${ref.name}` });
      } catch (err) {
        throw new BackupIntegrityError(`Chunk ${ref.name} of backup ${backupId} cannot be opened: ${(err as Error).message}`);
      }
    }
  }
  return chain(Readable.from(chunks()), createGunzip());
}

/**
 * Keeps the rows of one restaurant from COPY text: the value in column `index` equals `restaurantId`. COPY text
 * escapes tabs and newlines inside values, so splitting lines and fields is exact.
 */
export function restaurantRows(source: Readable, index: number, restaurantId: string): Readable {
  let rest = "";
  const decoder = new StringDecoder("utf8");
  const keep = (line: string) => line.split("\t")[index] === restaurantId;
  const filter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const lines = (rest + decoder.write(chunk)).split("\n");
      rest = lines.pop() ?? "";
      const kept = lines.filter(keep);
      callback(null, kept.length ? `${kept.join("\n")}\n` : undefined);
    },
    flush(callback) {
      rest += decoder.end();
      callback(null, rest && keep(rest) ? `${rest}\n` : undefined);
    },
  });
  return chain(source, filter);
}
