import * as Sentry from "@sentry/nextjs";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnvForTests } from "@/server/env";
import { sentryBeforeSend } from "@/server/observability/sentry";
import { initServerSentry } from "@/server/observability/sentry-init";
import { reportError } from "@/server/observability/report";
import { PosterApiError, PosterAuthError } from "@/server/poster/errors";
import { createPosterClient } from "@/server/poster/client";
import { runWithContext } from "@/server/observability/context";

/** Every event the SDK would have sent to Sentry, parsed from its envelopes. */
const sent: Record<string, unknown>[] = [];

function eventsOf(body: string | Uint8Array): Record<string, unknown>[] {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const lines = text.split("\n").filter(Boolean);
  const events: Record<string, unknown>[] = [];
  for (let i = 1; i < lines.length; i += 2) {
    const header = JSON.parse(lines[i]!) as { type?: string };
    if (header.type === "event") events.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
  }
  return events;
}

const saved = { ...process.env };
beforeAll(() => {
  process.env.SENTRY_DSN = "https://public@o0.ingest.sentry.io/0";
  resetEnvForTests();
  initServerSentry({
    transport: (options) =>
      Sentry.createTransport(options, async (request) => {
        sent.push(...eventsOf(request.body));
        return { statusCode: 200 };
      }),
  });
});
afterAll(async () => {
  await Sentry.close();
  process.env = { ...saved };
  resetEnvForTests();
});
beforeEach(() => {
  sent.length = 0;
});

const TOKEN = "100001:0123456789abcdef0123456789abcdef";

describe("error reports (Sentry, through a recording transport)", () => {
  it("reports an unexpected job failure tagged with the restaurant, user, job, kind, procedure and Poster method, without its secrets", async () => {
    const err = new PosterApiError(
      99,
      `storage.createSupply refused for owner@demo.test: https://demo.joinposter.com/api/storage.createSupply?token=${TOKEN}&password=hunter2-pass`,
      "storage.createSupply",
    );
    reportError(err, { restaurantId: "r-1", userId: "u-1", jobId: "j-1", jobKind: "supply.post", procedure: "orders.receive" });
    await Sentry.flush(2_000);
    expect(sent).toHaveLength(1);
    const event = sent[0]!;
    expect(event.tags).toMatchObject({ restaurant_id: "r-1", user_id: "u-1", job_id: "j-1", job_kind: "supply.post", procedure: "orders.receive", poster_method: "storage.createSupply" });
    expect(event.user).toEqual({ id: "u-1" });
    const text = JSON.stringify(event);
    expect(text).toContain("storage.createSupply refused");
    for (const secret of [TOKEN, "0123456789abcdef0123456789abcdef", "hunter2-pass", "owner@demo.test"]) expect(text).not.toContain(secret);
  });

  it("does not report expected outcomes: refusals, bad input, a token that needs reconnecting", async () => {
    reportError(new TRPCError({ code: "FORBIDDEN", message: "no" }));
    reportError(new TRPCError({ code: "NOT_FOUND", message: "gone" }));
    reportError(new TRPCError({ code: "BAD_REQUEST", message: "bad", cause: z.string().safeParse(1).error }));
    reportError(z.number().safeParse("x").error);
    reportError(new PosterAuthError("expired", 12, "token expired", "menu.getIngredients"));
    reportError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new PosterAuthError("invalid", 11, "revoked") }));
    await Sentry.flush(2_000);
    expect(sent).toHaveLength(0);
    reportError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new Error("a bug") }));
    await Sentry.flush(2_000);
    expect(sent).toHaveLength(1);
  });

  it("tags a report with the work context it happens in (request, restaurant, user, job, procedure)", async () => {
    runWithContext({ requestId: "req-abcdef12", restaurantId: "r-2", userId: "u-2", jobId: "j-2", jobKind: "sync.full", procedure: "sync.now" }, () =>
      reportError(new Error("a bug inside a job")),
    );
    await Sentry.flush(2_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.tags).toMatchObject({ request_id: "req-abcdef12", restaurant_id: "r-2", user_id: "u-2", job_id: "j-2", job_kind: "sync.full", procedure: "sync.now" });
  });

  it("reports a failed Poster call once, tagged with its method, without the token; not a token that needs reconnecting", async () => {
    const answer = (body: unknown) => async () => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    const failing = createPosterClient({
      baseUrl: "https://demo.joinposter.com",
      accountNumber: "100001",
      token: TOKEN,
      fetch: answer({ error: { code: 32, message: "bad id" } }),
      retry: { retries: 0 },
    });
    const error = await failing.call("storage.getStorages", z.unknown()).catch((e: unknown) => e);
    // The job or procedure it breaks reports it again: deduplicated.
    reportError(error, { jobId: "j-3" });
    const revoked = createPosterClient({
      baseUrl: "https://demo.joinposter.com",
      accountNumber: "100001",
      token: TOKEN,
      fetch: answer({ error: { code: 11, message: "token revoked" } }),
      retry: { retries: 0 },
    });
    await revoked.call("menu.getIngredients", z.unknown()).catch(() => undefined);
    await Sentry.flush(2_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.tags).toMatchObject({ poster_method: "storage.getStorages" });
    expect(JSON.stringify(sent[0])).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("never sends a request body, a user's e-mail or a cookie", () => {
    const event = sentryBeforeSend({
      type: undefined,
      message: "failed for staff@demo.test",
      user: { id: "u-1", email: "staff@demo.test", ip_address: "203.0.113.9" },
      request: { url: "https://app.example/api/trpc/orders.send", data: "Здравствуйте! Заказ: молоко 12 л", cookies: { "authjs.session-token": "eyJhbGciOi.x.y" } },
      breadcrumbs: [{ message: "mail to supplier@vendor.example" }],
    });
    const text = JSON.stringify(event);
    for (const leak of ["staff@demo.test", "supplier@vendor.example", "молоко", "203.0.113.9", "eyJhbGciOi"]) expect(text).not.toContain(leak);
    expect(event.user).toEqual({ id: "u-1" });
  });
});
