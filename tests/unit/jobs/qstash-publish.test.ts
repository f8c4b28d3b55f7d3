import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { publishJob, qstashClient } from "@/server/jobs/qstash";
import { applySchedules } from "@/server/jobs/schedules-apply";
import { SCHEDULES } from "@/server/jobs/schedules";
import type { JobRow } from "@/server/jobs/types";

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the QStash API: records what the real client sends and answers like QStash. */
function startStandIn(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/v2/schedules") && req.method === "GET") return res.end("[]");
      if (req.url?.startsWith("/v2/schedules")) return res.end(JSON.stringify({ scheduleId: req.headers["upstash-schedule-id"] ?? "scd_new" }));
      res.end(JSON.stringify({ messageId: "msg_standin_1" }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })));
}

const row = (over: Partial<JobRow> = {}): JobRow => ({
  id: "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f",
  restaurantId: "0b9e1f7a-1111-4222-8333-944455556666",
  kind: "sync.full",
  dedupKey: "sync:manual:x",
  status: "queued",
  attempts: 0,
  maxAttempts: 5,
  payload: { trigger: "manual" },
  progress: null,
  result: null,
  error: null,
  runAfter: new Date(),
  createdAt: new Date(),
  startedAt: null,
  finishedAt: null,
  ...over,
});

describe("QStash publishing (real client against a local stand-in)", () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    standIn = await startStandIn();
    process.env.APP_URL = "https://checklist.example.com";
    resetEnvForTests();
  });
  afterAll(() => {
    standIn.server.close();
    process.env = saved;
    resetEnvForTests();
  });

  it("publishes a job to its endpoint with the job id as dedup id, the account as flow key and the retry budget", async () => {
    standIn.seen.length = 0;
    const client = qstashClient({ baseUrl: standIn.url, token: "qstash-test-token" });
    const res = await publishJob(client, row(), { flowKey: "100001", delaySeconds: 30 });
    expect(res).toMatchObject({ messageId: "msg_standin_1" });
    expect(standIn.seen).toHaveLength(1);
    const req = standIn.seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v2/publish/https://checklist.example.com/api/jobs/sync-full");
    expect(req.headers.authorization).toBe("Bearer qstash-test-token");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req.body)).toEqual({ jobId: "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f" });
    expect(req.headers["upstash-deduplication-id"]).toBe("6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f");
    expect(req.headers["upstash-flow-control-key"]).toBe("poster-100001");
    expect(req.headers["upstash-flow-control-value"]).toContain("parallelism=1");
    expect(req.headers["upstash-retries"]).toBe("4");
    expect(req.headers["upstash-retry-delay"]).toBe("min(600000, 5000 * pow(2, retried))");
    expect(req.headers["upstash-delay"]).toBe("30s");
  });

  it("sends no flow control without an account, and a one-shot job gets no retries", async () => {
    standIn.seen.length = 0;
    await publishJob(qstashClient({ baseUrl: standIn.url, token: "t" }), row({ kind: "tokens.check", maxAttempts: 1 }));
    const req = standIn.seen[0]!;
    expect(req.path).toBe("/v2/publish/https://checklist.example.com/api/jobs/tokens-check");
    expect(req.headers["upstash-flow-control-key"]).toBeUndefined();
    expect(req.headers["upstash-retries"]).toBe("0");
    expect(req.headers["upstash-delay"]).toBeUndefined();
  });

  it("applies every schedule with its stable id (running it twice sends the same requests)", async () => {
    standIn.seen.length = 0;
    const client = qstashClient({ baseUrl: standIn.url, token: "t" });
    await applySchedules(client);
    const first = standIn.seen.filter((s) => s.method === "POST").map((s) => ({ path: s.path, id: s.headers["upstash-schedule-id"], cron: s.headers["upstash-cron"], body: s.body }));
    expect(first).toHaveLength(SCHEDULES.length);
    for (const s of SCHEDULES) {
      expect(first).toContainEqual({
        path: `/v2/schedules/https://checklist.example.com/api/jobs/${s.kind.replace(".", "-")}`,
        id: `rc-${s.id}`,
        cron: s.cron,
        body: JSON.stringify({ schedule: s.id }),
      });
    }
    standIn.seen.length = 0;
    await applySchedules(client);
    const second = standIn.seen.filter((s) => s.method === "POST").map((s) => ({ path: s.path, id: s.headers["upstash-schedule-id"], cron: s.headers["upstash-cron"], body: s.body }));
    expect(second).toEqual(first);
  });
});
