import { describe, expect, it } from "vitest";
import { createLogger, REDACTED } from "@/server/observability/log";
import { addToContext, requestIdFrom, runWithContext } from "@/server/observability/context";

function capture() {
  const lines: { level: string; record: Record<string, unknown> }[] = [];
  const logger = createLogger({ level: "debug", sink: (line, level) => lines.push({ level, record: JSON.parse(line) as Record<string, unknown> }) });
  return { logger, lines };
}

describe("the pino logger with the work context", () => {
  it("puts the request, user, restaurant and job on every line written inside the context, and only there", async () => {
    const { logger, lines } = capture();
    logger.info("outside");
    await runWithContext({ requestId: "req-12345678", userId: "u-1" }, async () => {
      await Promise.resolve();
      addToContext({ restaurantId: "r-1", jobId: "j-1", jobKind: "sync.full" });
      logger.child({ module: "sync" }).warn("inside", { rows: 3 });
    });
    expect(lines[0]!.record).not.toHaveProperty("requestId");
    expect(lines[1]).toEqual({
      level: "warn",
      record: expect.objectContaining({ level: "warn", msg: "inside", module: "sync", rows: 3, requestId: "req-12345678", userId: "u-1", restaurantId: "r-1", jobId: "j-1", jobKind: "sync.full" }),
    });
    expect(typeof lines[1]!.record.time).toBe("string");
  });

  it("masks tokens, passwords, e-mail addresses and query parameters by path and by shape", () => {
    const { logger, lines } = capture();
    logger.error("mail failed", {
      email: "owner@demo.test",
      user: { email: "staff@demo.test", password: "hunter2-hunter2" },
      token: "100001:0123456789abcdef0123456789abcdef",
      params: ["owner@demo.test", "Owner"],
      detail: "GET /api/x?token=abc123secret&x=1",
    });
    const text = JSON.stringify(lines);
    for (const leak of ["owner@demo.test", "staff@demo.test", "hunter2-hunter2", "0123456789abcdef0123456789abcdef", "abc123secret"]) expect(text).not.toContain(leak);
    expect(lines[0]!.record).toMatchObject({ email: REDACTED, user: { email: REDACTED, password: REDACTED }, params: REDACTED });
  });

  it("reads LOG_LEVEL's threshold and never throws on odd fields", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", sink: (line) => lines.push(line) });
    logger.info("dropped");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.warn("kept", { cyclic, big: 10n });
    expect(lines).toHaveLength(1);
    expect(logger.isLevelEnabled("info")).toBe(false);
  });

  it("keeps a caller's request id only in a harmless shape", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "abc-12345678" }))).toBe("abc-12345678");
    const made = requestIdFrom(new Headers({ "x-request-id": "<script>" }));
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });
});
