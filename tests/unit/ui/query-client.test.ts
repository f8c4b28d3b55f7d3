import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { isClientError, makeQueryClient } from "@/ui/trpc/query-client";

/** What the browser's TRPCClientError carries (data from the error formatter), without a network round trip. */
const clientError = (httpStatus: number) => Object.assign(new Error("refused"), { data: { httpStatus, code: "X" } });

describe("query client retries", () => {
  it("treats 4xx as final whether seen in the browser (data.httpStatus) or on the server (TRPCError.code)", () => {
    expect(isClientError(new TRPCError({ code: "UNAUTHORIZED" }))).toBe(true);
    expect(isClientError(new TRPCError({ code: "FORBIDDEN" }))).toBe(true);
    expect(isClientError(new TRPCError({ code: "BAD_REQUEST" }))).toBe(true);
    expect(isClientError(new TRPCError({ code: "CONFLICT" }))).toBe(true);
    expect(isClientError(clientError(401))).toBe(true);
    expect(isClientError(clientError(404))).toBe(true);
    expect(isClientError(new TRPCError({ code: "INTERNAL_SERVER_ERROR" }))).toBe(false);
    expect(isClientError(clientError(503))).toBe(false);
    expect(isClientError(new TypeError("fetch failed"))).toBe(false);
  });

  it("does not retry a server-side prefetch that was refused (a signed-out page answers at once)", async () => {
    const client = makeQueryClient();
    let calls = 0;
    const started = Date.now();
    await expect(
      client.fetchQuery({
        queryKey: ["refused"],
        queryFn: () => {
          calls++;
          throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
        },
      }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("still retries what may pass on a second try (a 5xx, a dropped connection)", async () => {
    const client = makeQueryClient();
    let calls = 0;
    const result = await client.fetchQuery({
      queryKey: ["flaky"],
      retryDelay: 1,
      queryFn: () => {
        calls++;
        if (calls < 2) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR" });
        return "ok";
      },
    });
    expect(result).toBe("ok");
    expect(calls).toBe(2);
  });
});
