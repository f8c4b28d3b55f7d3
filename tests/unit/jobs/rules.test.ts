import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/server/jobs/execute";
import { isRetryable, PermanentJobError } from "@/server/jobs/types";
import { PosterAuthError, PosterUnavailableError } from "@/server/poster";
import { SyncFailedError } from "@/server/sync";
import { storablePayload, targetForWebhook, webhookDedupKey } from "@/server/webhooks/poster";

const hook = (over: Record<string, unknown>) => ({ account: "demo-cafe", account_number: "100001", object: "ingredient", object_id: 73, action: "changed", time: "1739260000", ...over });

describe("job retry rules", () => {
  it("backs off exponentially with jitter, capped", () => {
    const opts = { baseMs: 1_000, maxMs: 10_000 };
    expect(retryDelayMs(1, opts, () => 0)).toBe(500);
    expect(retryDelayMs(1, opts, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, opts, () => 1)).toBe(4_000);
    expect(retryDelayMs(10, opts, () => 1)).toBe(10_000);
    expect(retryDelayMs(10, opts, () => 0)).toBe(5_000);
  });

  it("retries what can recover and nothing else, also through a wrapping error", () => {
    expect(isRetryable(new Error("ECONNRESET"))).toBe(true);
    expect(isRetryable(new PosterUnavailableError("http", "503"))).toBe(true);
    expect(isRetryable(new PermanentJobError("bad payload"))).toBe(false);
    expect(isRetryable(new PosterAuthError("expired", 12, "Access token expired"))).toBe(false);
    expect(isRetryable(new SyncFailedError("run", "sync failed", { cause: new PosterAuthError("invalid", 11, "Bad access token") }))).toBe(false);
    expect(isRetryable(new SyncFailedError("run", "sync failed", { cause: new PosterUnavailableError("timeout", "timed out") }))).toBe(true);
  });
});

describe("Poster webhook mapping", () => {
  it("maps each object to its targeted sync", () => {
    expect(targetForWebhook(hook({}))).toEqual({ kind: "ingredient", posterId: 73 });
    expect(targetForWebhook(hook({ object: "ingredients_category", object_id: "3" }))).toEqual({ kind: "category", posterId: 3 });
    expect(targetForWebhook(hook({ object: "storage", object_id: 2 }))).toEqual({ kind: "storage", posterId: 2 });
    expect(targetForWebhook(hook({ object: "stock", data: JSON.stringify({ type: 1, element_id: 73, storage_id: 1, value_relative: -0.25, value_absolute: 21.75 }) }))).toEqual({
      kind: "stock",
      storagePosterId: 1,
      ingredientPosterId: 73,
    });
    expect(targetForWebhook(hook({ object: "supply", object_id: 7 }))).toEqual({ kind: "supply" });
  });

  it("ignores what is not in the catalogue or cannot be located", () => {
    expect(targetForWebhook(hook({ object: "stock", data: JSON.stringify({ type: 2, element_id: 5, storage_id: 1 }) }))).toBeNull();
    expect(targetForWebhook(hook({ object: "stock", data: "not json" }))).toBeNull();
    expect(targetForWebhook(hook({ object: "product" }))).toBeNull();
    expect(targetForWebhook(hook({ object: "transaction" }))).toBeNull();
    expect(targetForWebhook(hook({ object_id: "abc" }))).toBeNull();
  });

  it("keys a delivery on its signed fields only", () => {
    expect(webhookDedupKey(hook({}))).toBe(webhookDedupKey(hook({ account_number: "999" })));
    expect(webhookDedupKey(hook({}))).not.toBe(webhookDedupKey(hook({ time: "1739260001" })));
    expect(webhookDedupKey(hook({}))).not.toBe(webhookDedupKey(hook({ data: "{}" })));
  });

  it("never stores an access token", () => {
    const token = "100001:5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b";
    const stored = storablePayload(hook({ object: "application", action: "added", data: JSON.stringify({ user_id: 1, access_token: token }) }));
    expect(JSON.stringify(stored)).not.toContain("5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b");
    expect(JSON.parse(stored!.data as string)).toEqual({ user_id: 1, access_token: "[redacted]" });
  });
});
