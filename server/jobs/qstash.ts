import { Client, Receiver } from "@upstash/qstash";
import { env } from "@/server/env";
import { DEFAULT_BACKOFF } from "./execute";
import { jobRoute, type JobRow } from "./types";

export const qstashEnabled = () => Boolean(env().QSTASH_TOKEN);

/** Public URL of a job endpoint, from configuration: QStash signs it, so it must never come from a request. */
export function jobEndpointUrl(kind: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/jobs/${jobRoute(kind)}`;
}

export function qstashClient(options: { baseUrl?: string; token?: string } = {}): Client {
  const e = env();
  const token = options.token ?? e.QSTASH_TOKEN;
  if (!token) throw new Error("QSTASH_TOKEN is not set");
  const baseUrl = options.baseUrl ?? e.QSTASH_URL;
  // devMode false: never start the QStash dev server binary (it cannot be downloaded, and tests use stand-ins).
  return new Client({ token, ...(baseUrl ? { baseUrl } : {}), devMode: false, enableTelemetry: false });
}

/** The body QStash delivers to a job endpoint: the row is the source of truth, the body only points at it. */
export interface JobMessage {
  jobId: string;
}

/**
 * Publishes one job. The job id is the deduplication id (our own enqueue deduplicates on dedupKey in the
 * database first), the Poster account is the flow-control key (one running job per account), and QStash's
 * retry budget matches the job's.
 */
export async function publishJob(client: Client, row: JobRow, options: { flowKey?: string; delaySeconds?: number } = {}) {
  const body: JobMessage = { jobId: row.id };
  return client.publishJSON({
    url: jobEndpointUrl(row.kind),
    body,
    deduplicationId: row.id,
    retries: Math.max(0, row.maxAttempts - 1),
    retryDelay: `min(${DEFAULT_BACKOFF.maxMs}, ${DEFAULT_BACKOFF.baseMs} * pow(2, retried))`,
    ...(options.flowKey ? { flowControl: { key: `poster-${options.flowKey}`, parallelism: 1 } } : {}),
    ...(options.delaySeconds && options.delaySeconds > 0 ? { delay: Math.ceil(options.delaySeconds) } : {}),
  });
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks `Upstash-Signature` (a JWT over the raw body and the destination URL) with the current key and, after
 * a rotation, the next one. The URL is rebuilt from APP_URL, never from the request's Host.
 */
export async function verifyQstashSignature(signature: string | null, rawBody: string, url: string): Promise<SignatureCheck> {
  const { QSTASH_CURRENT_SIGNING_KEY: current, QSTASH_NEXT_SIGNING_KEY: next } = env();
  if (!signature) return { ok: false, reason: "missing signature" };
  if (!current || !next) return { ok: false, reason: "signing keys are not configured" };
  try {
    const receiver = new Receiver({ currentSigningKey: current, nextSigningKey: next, devMode: false });
    await receiver.verify({ signature, body: rawBody, url });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : "invalid signature" };
  }
}
