import { z } from "zod";
import type { Tx } from "@/db/client";
import { withPlatform } from "@/db/scope";
import { currentContext } from "@/server/observability/context";
import { log } from "@/server/observability/log";
import { publishJob, qstashClient, qstashEnabled } from "./qstash";
import { kickJobRunner } from "./runner";
import { deleteJob, insertOrJoin } from "./store";
import { REQUEST_ID_KEY, type EnqueueJobInput, type EnqueueJobResult } from "./types";

const inputSchema = z
  .object({
    kind: z.string().regex(/^[a-z]+(\.[a-z]+)+$/),
    restaurantId: z.uuid().nullable(),
    payload: z.record(z.string(), z.unknown()).optional(),
    dedupKey: z.string().min(1).max(300),
    dedup: z.enum(["while-active", "until-success"]).optional(),
    flowKey: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).optional(),
    delaySeconds: z.number().min(0).max(7 * 86_400).optional(),
    maxAttempts: z.number().int().min(1).max(30).optional(),
  })
  .strict();

/**
 * The one way to start background work, whichever backend runs it. The job row is written first (deduplicated
 * on dedupKey: a second "Sync now" joins the running job), then handed to QStash or to the in-process runner.
 *
 * `tx`: enqueue inside the caller's transaction (a tenant procedure; PGlite cannot open a second one meanwhile).
 * The row becomes visible on commit; a QStash delivery that arrives earlier is answered 503 and retried.
 */
export async function enqueueJob(input: EnqueueJobInput, options: { tx?: Tx } = {}): Promise<EnqueueJobResult> {
  const parsed = withRequestId(inputSchema.parse(input) as EnqueueJobInput);
  const { row, joined } = options.tx ? await insertOrJoin(options.tx, parsed) : await withPlatform("jobs", (tx) => insertOrJoin(tx, parsed));
  if (joined) return { jobId: row.id, joined };
  if (qstashEnabled()) {
    try {
      await publishJob(qstashClient(), row, { flowKey: parsed.flowKey, delaySeconds: parsed.delaySeconds });
    } catch (err) {
      // Unpublished, the row would sit queued forever and block its key: take it back and let the caller retry.
      if (!options.tx) await deleteJob(row.id).catch(() => undefined);
      log.error("job publish failed", { kind: row.kind, jobId: row.id, error: err });
      throw err;
    }
  } else {
    kickJobRunner();
  }
  return { jobId: row.id, joined };
}

/** The job remembers the request (or job) that enqueued it, so its logs and reports can be joined to it. */
function withRequestId(input: EnqueueJobInput): EnqueueJobInput {
  const requestId = currentContext()?.requestId;
  return requestId ? { ...input, payload: { ...input.payload, [REQUEST_ID_KEY]: requestId } } : input;
}
