import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TRPCError } from "@trpc/server";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTranslator } from "next-intl";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { loadMessages } from "@/i18n/messages";
import { LOCALES } from "@/i18n/locales";
import {
  ConflictError,
  type DomainError,
  ERROR_REASONS,
  ForbiddenError,
  NotFoundError,
  PreconditionError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  type DomainErrorCode,
} from "@/server/errors";
import { isExpectedError, reportError } from "@/server/observability/report";
import { DomainTRPCError, httpStatusOfError, toTRPCError, TRPC_CODES } from "@/server/trpc/errors";
import { createCallerFactory, createInnerContext, createTRPCRouter, publicProcedure } from "@/server/trpc/init";
import { transformer } from "@/server/trpc/transformer";

vi.mock("@/server/observability/report", async (original) => ({ ...(await original<Record<string, unknown>>()), reportError: vi.fn() }));

const CASES: [DomainError, TRPCError["code"], number][] = [
  [new NotFoundError("supplier_not_found", "Supplier not found."), "NOT_FOUND", 404],
  [new ForbiddenError("not_your_department", "You do not work in this department."), "FORBIDDEN", 403],
  [new UnauthorizedError("signed_out", "Please sign in."), "UNAUTHORIZED", 401],
  [new ConflictError("order_transition", "An order that is sent cannot become draft.", { from: "sent", to: "draft" }), "CONFLICT", 409],
  [new ValidationError("quantity_range", "Quantity must be between 0 and 100000.", { max: 100000 }), "BAD_REQUEST", 400],
  [new PreconditionError("restaurant_paused", "Paused."), "PRECONDITION_FAILED", 412],
  [new RateLimitedError("invitation_link_exhausted", "Too many."), "TOO_MANY_REQUESTS", 429],
];

describe("the tRPC adapter (server/trpc/errors.ts)", () => {
  it("maps every domain code to one tRPC code and HTTP status, keeping the reason, details and message", () => {
    expect(new Set(CASES.map(([e]) => e.code))).toEqual(new Set(Object.keys(TRPC_CODES) as DomainErrorCode[]));
    for (const [domain, code, status] of CASES) {
      const mapped = toTRPCError(domain);
      expect(mapped).toBeInstanceOf(DomainTRPCError);
      expect(mapped).toMatchObject({ code, message: domain.message, reason: domain.reason, details: domain.details, cause: domain });
      expect(httpStatusOfError(domain)).toBe(status);
      // As tRPC wraps what a procedure throws (an INTERNAL_SERVER_ERROR with the domain error as cause).
      expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: domain }))).toMatchObject({ code, reason: domain.reason });
    }
  });

  it("leaves tRPC's own errors alone and makes anything else an internal error", () => {
    const own = new TRPCError({ code: "FORBIDDEN", message: "no" });
    expect(toTRPCError(own)).toBe(own);
    expect(toTRPCError(new Error("a bug"))).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    expect(httpStatusOfError(new Error("a bug"))).toBe(500);
  });

  it("domain errors are expected outcomes (not reported) and never retried by a job", () => {
    for (const [domain] of CASES) {
      expect(isExpectedError(domain)).toBe(true);
      expect(isExpectedError(toTRPCError(domain))).toBe(true);
      expect(domain.retryable).toBe(false);
    }
    expect(isExpectedError(new Error("a bug"))).toBe(false);
  });
});

const router = createTRPCRouter({
  missing: publicProcedure.meta({ access: "public" }).query((): string => {
    throw new NotFoundError("product_not_found", "Product not found.");
  }),
  changed: publicProcedure
    .meta({ access: "public" })
    .input(z.object({ from: z.string() }))
    .mutation(({ input }): string => {
      throw new ConflictError("order_transition", "cannot", { from: input.from, to: "draft" });
    }),
});
const ctx = createInnerContext();

describe("a domain error thrown in a procedure", () => {
  beforeEach(() => vi.mocked(reportError).mockClear());

  it("reaches a server-side caller as its refusal, unreported", async () => {
    const refused = await createCallerFactory(router)(ctx)
      .missing()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainTRPCError);
    expect(refused).toMatchObject({ code: "NOT_FOUND", reason: "product_not_found", message: "Product not found." });
    expect(reportError).not.toHaveBeenCalled();
  });

  it("reaches the browser with its HTTP status, reason and details (the error formatter)", async () => {
    const client = createTRPCClient<typeof router>({
      links: [
        httpBatchLink({
          url: "http://localhost/api/trpc",
          transformer,
          fetch: (url, init) => fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url, init as RequestInit), router, createContext: () => ctx }),
        }),
      ],
    });
    const refused = await client.changed.mutate({ from: "sent" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<typeof router>).data).toMatchObject({ code: "CONFLICT", httpStatus: 409, reason: "order_transition", details: { from: "sent", to: "draft" } });
    expect(reportError).not.toHaveBeenCalled();
  });
});

describe("error messages", () => {
  it("every reason a domain error may carry, and every status fallback, is said in both languages", async () => {
    for (const locale of LOCALES) {
      const messages = await loadMessages(locale);
      const t = createTranslator({ locale, messages, namespace: "errors" }) as unknown as (key: string, values?: Record<string, string | number>) => string;
      const errors = messages.errors as { reason: Record<string, string>; status: Record<string, string> };
      for (const reason of ERROR_REASONS) {
        expect(errors.reason[reason], `${locale}: errors.reason.${reason}`).toEqual(expect.any(String));
        // Formats with the details it may get (ICU select on statuses and password problems included).
        const text = t(`reason.${reason}`, { restaurant: "Bistro", appUrl: "https://app", limit: 1, max: 1, from: "sent", to: "draft", status: "received", problem: "tooShort", min: 10, flag: "x" });
        expect(text, `${locale}: ${reason}`).not.toMatch(/[{}]|^errors\./);
      }
      for (const key of ["invalid", "notFound", "conflict", "precondition", "rateLimited", "refused"]) expect(errors.status[key], `${locale}: errors.status.${key}`).toEqual(expect.any(String));
    }
    const ru = (await loadMessages("ru")).errors as { reason: Record<string, string> };
    expect(ru.reason.order_transition).toMatch(/[а-я]/);
  });

  it("domain code throws domain errors, not TRPCError (only server/trpc maps them)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          // The tRPC floor is where domain errors become TRPCErrors.
          if (path === join("server", "trpc")) continue;
          walk(path);
        } else if (/\.tsx?$/.test(name) && /new TRPCError\(/.test(readFileSync(path, "utf8"))) offenders.push(path);
      }
    };
    walk("server");
    expect(offenders).toEqual([]);
  });
});
