import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { reportError } from "@/server/observability/report";
import { createCallerFactory, createInnerContext, createTRPCRouter, publicProcedure } from "@/server/trpc/init";

vi.mock("@/server/observability/report", async (original) => ({ ...(await original<Record<string, unknown>>()), reportError: vi.fn() }));

const router = createTRPCRouter({
  broken: publicProcedure.meta({ access: "public" }).query(() => {
    throw new Error("a bug in a procedure");
  }),
  refused: publicProcedure.meta({ access: "public" }).query(() => {
    throw new TRPCError({ code: "FORBIDDEN", message: "not yours" });
  }),
});
const caller = createCallerFactory(router)(
  createInnerContext({ session: { userId: "u-7", sessionVersion: 1, sessionId: null }, requestedRestaurantId: "r-7" }),
);

beforeEach(() => vi.mocked(reportError).mockClear());

describe("procedures report unexpected failures", () => {
  it("reports an INTERNAL_SERVER_ERROR's cause tagged with the procedure, user and restaurant", async () => {
    await expect(caller.broken()).rejects.toThrow();
    expect(reportError).toHaveBeenCalledTimes(1);
    const [error, context] = vi.mocked(reportError).mock.calls[0]!;
    expect((error as Error).message).toBe("a bug in a procedure");
    expect(context).toEqual({ procedure: "broken", userId: "u-7", restaurantId: "r-7" });
  });

  it("does not report a refusal", async () => {
    await expect(caller.refused()).rejects.toThrow("not yours");
    expect(reportError).not.toHaveBeenCalled();
  });
});
