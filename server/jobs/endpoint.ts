import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { log } from "@/server/observability/log";
import { ensureJobHandlers } from "./bootstrap";
import { runClaimedJob } from "./execute";
import { jobEndpointUrl, verifyQstashSignature } from "./qstash";
import { getJobHandler } from "./registry";
import { SCHEDULES } from "./schedules";
import { claimJobById, insertOrJoin } from "./store";
import { kindFromRoute } from "./types";

const bodySchema = z.union([z.object({ jobId: z.uuid() }).strict(), z.object({ schedule: z.string().min(1).max(100) }).strict()]);

const endpointLog = log.child({ module: "jobs.endpoint" });
const json = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

/** A delivery QStash retried this often may answer "gone" for a job row that never became visible. */
const MISSING_ROW_RETRIES = 3;

/**
 * A QStash delivery to /api/jobs/<kind>: verify the signature on the raw body against the configured public URL,
 * then run the job once. Answers 5xx only when a retry can help (QStash then retries), 200 for success, a
 * permanent failure or a duplicate delivery of a finished job, 409 while another delivery is running it.
 */
export async function handleJobDelivery(request: Request, route: string): Promise<Response> {
  ensureJobHandlers();
  const kind = kindFromRoute(route);
  if (!getJobHandler(kind)) return json(404, { error: "unknown job kind" });
  const raw = await request.text();
  const check = await verifyQstashSignature(request.headers.get("upstash-signature"), raw, jobEndpointUrl(kind));
  if (!check.ok) {
    endpointLog.warn("job delivery rejected", { kind, reason: check.reason, messageId: request.headers.get("upstash-message-id") });
    return json(401, { error: "invalid signature" });
  }
  let body: z.infer<typeof bodySchema>;
  try {
    body = bodySchema.parse(JSON.parse(raw));
  } catch {
    endpointLog.error("job delivery with an unreadable body", { kind });
    return json(400, { error: "invalid body" });
  }

  let jobId: string;
  if ("schedule" in body) {
    const schedule = SCHEDULES.find((s) => s.id === body.schedule && s.kind === kind);
    if (!schedule) return json(400, { error: "unknown schedule" });
    // A schedule's message has no row yet: make one, keyed on the message so QStash's retries share it.
    const messageId = request.headers.get("upstash-message-id") ?? new Date().toISOString().slice(0, 16);
    const { row } = await withPlatform("jobs", (tx) =>
      insertOrJoin(tx, {
        kind: schedule.kind,
        restaurantId: null,
        payload: { scheduledAt: new Date().toISOString() },
        dedupKey: `schedule:${schedule.id}:${messageId}`,
        dedup: "until-success",
        maxAttempts: 3,
      }),
    );
    jobId = row.id;
  } else {
    jobId = body.jobId;
  }

  const claim = await claimJobById(jobId, kind);
  if (!claim.claimed) {
    const current = claim.current;
    if (!current) {
      // Enqueued inside a transaction that has not committed yet (or rolled back): retry a few times.
      const retried = Number(request.headers.get("upstash-retried") ?? "0");
      return retried < MISSING_ROW_RETRIES ? json(503, { error: "job not found yet" }) : json(200, { status: "gone" });
    }
    if (current.kind !== kind) return json(400, { error: "job kind does not match the route" });
    if (current.status === "running") return json(409, { status: "running" });
    return json(200, { status: current.status, duplicate: true });
  }
  const outcome = await runClaimedJob(claim.claimed);
  if (outcome.status === "queued") return json(500, { status: "retry", error: outcome.error });
  return json(200, { status: outcome.status });
}
