import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { S3Storage } from "@/server/backup/storage";

/**
 * A real S3-compatible server (s3rver, in this process, on a free port) with one bucket, for the backup and
 * export tests: the same @aws-sdk/client-s3 calls as against AWS S3, R2 or MinIO, over HTTP.
 */
export async function startS3(bucket = "rc-test-backups") {
  const directory = mkdtempSync(path.join(tmpdir(), "rc-s3rver-"));
  const server = new S3rver({ port: Number(process.env.TEST_S3_PORT ?? 0), address: "127.0.0.1", directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const storage = (prefix = "") =>
    new S3Storage({ bucket, prefix, region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  return {
    endpoint,
    bucket,
    storage,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
