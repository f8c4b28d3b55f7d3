import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { metrics } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { recordOperation } from "@/server/observability/metrics";
import { otlpMetricsConfigured, startOtlpMetrics } from "@/server/observability/otel";

describe("OTLP metrics export", () => {
  const received: { path: string; type: string; body: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", type: req.headers["content-type"] ?? "", body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  afterAll(async () => {
    metrics.disable();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("is off without the standard variables, and sends rc.operation.duration to the collector they name", async () => {
    expect(otlpMetricsConfigured({})).toBe(false);
    expect(await startOtlpMetrics({})).toBeNull();

    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
    // The exporter reads the standard variables itself.
    process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = endpoint;
    try {
      const provider = await startOtlpMetrics({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "checklist-test" });
      expect(provider).not.toBeNull();
      recordOperation("procedure", "orders.list", 12.5, "ok");
      recordOperation("poster", "storage.getStorages", 250, "error");
      await provider!.forceFlush();
      expect(received.length).toBeGreaterThan(0);
      const sent = received.at(-1)!;
      expect(sent.path).toBe("/v1/metrics");
      // OTLP/HTTP protobuf: the names travel as plain UTF-8 inside the message.
      const text = sent.body.toString("latin1");
      for (const expected of ["rc.operation.duration", "orders.list", "storage.getStorages", "checklist-test", "rc.outcome"]) expect(text).toContain(expected);
      await provider!.shutdown();
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    }
  });
});
