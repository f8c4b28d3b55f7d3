import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/server/env";

// next-auth cannot load outside Next; nobody is signed in here (the refusal comes before the session anyway).
vi.mock("@/server/auth/next-auth", () => ({ auth: () => Promise.resolve(null) }));

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("/api/trpc Origin check", () => {
  it("refuses a change from another origin with a tRPC answer per call (403, reason cross_site, the app's address), which clients do not retry", async () => {
    process.env.APP_URL = "http://localhost:3377";
    resetEnvForTests();
    const { POST } = await import("@/app/api/trpc/[trpc]/route");
    const res = await POST(
      new Request("http://localhost:3377/api/trpc/checklist.saveLine,checklist.saveLine?batch=1", {
        method: "POST",
        headers: { origin: "http://localhost:3000", "content-type": "application/json" },
        body: JSON.stringify({ 0: { json: {} }, 1: { json: {} } }),
      }),
    );
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { json: { data: { httpStatus: number; reason: string; details: { appUrl: string } } } } }[];
    expect(body).toHaveLength(2);
    for (const call of body) {
      expect(call.error.json.data.httpStatus).toBe(403);
      expect(call.error.json.data.reason).toBe("cross_site");
      expect(call.error.json.data.details.appUrl).toBe("http://localhost:3377");
    }
  });
});
