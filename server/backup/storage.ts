import { mkdir, readdir, readFile, rm, stat, writeFile, rename } from "node:fs/promises";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { env, type Env } from "@/server/env";

export interface StoredObject {
  key: string;
  size: number;
}

/** Where backups and owner exports are kept: an S3-compatible bucket, or a local folder. Keys use "/". */
export interface ObjectStorage {
  /** For people: `s3://bucket/prefix` or the folder's absolute path. */
  readonly location: string;
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Every object under the prefix, at any depth. */
  list(prefix: string): Promise<StoredObject[]>;
  delete(keys: readonly string[]): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(key: string) {
    super(`No stored object "${key}"`);
    this.name = "ObjectNotFoundError";
  }
}

const KEY_SHAPE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
function checkKey(key: string): string {
  if (!KEY_SHAPE.test(key) || key.split("/").some((part) => part === "." || part === "..")) throw new Error(`Invalid object key "${key}"`);
  return key;
}

/** A local folder (BACKUP_DIR): written through a temporary file and a rename, so a crash leaves no half object. */
export class FolderStorage implements ObjectStorage {
  readonly location: string;
  private readonly root: string;
  constructor(root: string) {
    this.root = path.resolve(root);
    this.location = `${this.root}${path.sep}`;
  }

  private file(key: string) {
    return path.join(this.root, ...checkKey(key).split("/"));
  }

  async put(key: string, body: Buffer) {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, body, { mode: 0o600 });
    await rename(temporary, file);
  }

  async get(key: string) {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async list(prefix: string) {
    const found: StoredObject[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
        throw err;
      }
      for (const entry of entries) {
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${key}/`);
        else if (entry.isFile() && !entry.name.endsWith(".tmp") && key.startsWith(prefix)) found.push({ key, size: (await stat(path.join(dir, entry.name))).size });
      }
    };
    // Walk from the deepest folder the prefix names.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
    await walk(path.join(this.root, ...folder.split("/").filter(Boolean)), folder);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(keys: readonly string[]) {
    for (const key of keys) await rm(this.file(key), { force: true });
  }
}

export interface S3Options {
  bucket: string;
  prefix: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** S3 and the S3-compatible (R2, B2, MinIO) through @aws-sdk/client-s3; `prefix` keeps several apps in a bucket. */
export class S3Storage implements ObjectStorage {
  readonly location: string;
  private client: Promise<S3Client> | null = null;

  constructor(private readonly options: S3Options) {
    this.location = `s3://${options.bucket}/${options.prefix}`;
  }

  private s3() {
    this.client ??= import("@aws-sdk/client-s3").then(
      ({ S3Client }) =>
        new S3Client({
          region: this.options.region,
          forcePathStyle: this.options.forcePathStyle,
          ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
          // Unset: the SDK's own chain (AWS_* variables, an instance role).
          ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        }),
    );
    return this.client;
  }

  private full(key: string) {
    return `${this.options.prefix}${checkKey(key)}`;
  }

  async put(key: string, body: Buffer) {
    const { PutObjectCommand } = await import("@aws-sdk/client-s3");
    await (await this.s3()).send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.full(key), Body: body, ContentLength: body.length }));
  }

  async get(key: string) {
    const { GetObjectCommand, NoSuchKey } = await import("@aws-sdk/client-s3");
    try {
      const answer = await (await this.s3()).send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.full(key) }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async list(prefix: string) {
    const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await (await this.s3()).send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: `${this.options.prefix}${prefix}`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) found.push({ key: o.Key.slice(this.options.prefix.length), size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(keys: readonly string[]) {
    const { DeleteObjectsCommand } = await import("@aws-sdk/client-s3");
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((key) => ({ Key: this.full(key) }));
      const answer = await (await this.s3()).send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: batch, Quiet: true } }));
      if (answer.Errors?.length) throw new Error(`Could not delete ${answer.Errors.length} object(s), e.g. ${answer.Errors[0]?.Key}: ${answer.Errors[0]?.Code}`);
    }
  }
}

export const DEFAULT_BACKUP_DIR = ".data/backups";

/** The configured storage: S3 when BACKUP_S3_BUCKET is set, else the folder BACKUP_DIR (default .data/backups). */
export function storageFromEnv(e: Env = env()): ObjectStorage {
  if (e.BACKUP_S3_BUCKET) {
    return new S3Storage({
      bucket: e.BACKUP_S3_BUCKET,
      prefix: e.BACKUP_S3_PREFIX,
      region: e.BACKUP_S3_REGION,
      endpoint: e.BACKUP_S3_ENDPOINT,
      forcePathStyle: e.BACKUP_S3_FORCE_PATH_STYLE === "true",
      ...(e.BACKUP_S3_ACCESS_KEY_ID && e.BACKUP_S3_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: e.BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: e.BACKUP_S3_SECRET_ACCESS_KEY } }
        : {}),
    });
  }
  return new FolderStorage(e.BACKUP_DIR ?? DEFAULT_BACKUP_DIR);
}
