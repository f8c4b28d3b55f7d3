import { TRPCClientError } from "@trpc/client";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { loadMessages } from "@/i18n/messages";
import { describeError, type ErrorTranslator } from "@/ui/errors/describe";

async function russian(): Promise<ErrorTranslator> {
  const messages = await loadMessages("ru");
  return createTranslator({ locale: "ru", messages, namespace: "errors" }) as unknown as ErrorTranslator;
}

/** What the browser's tRPC client holds after the server answered with this error shape. */
const answered = (data: Record<string, unknown>, message = "An English message from the server.") =>
  Object.assign(new TRPCClientError(message), { data });

describe("errors on screen (ui/errors/describe.ts), in Russian", () => {
  it("a request that never reached the server is a connection problem, not 'Failed to fetch'", async () => {
    const t = await russian();
    const offline = TRPCClientError.from(new TypeError("Failed to fetch"));
    const text = describeError(offline, t);
    expect(text).toMatch(/Нет связи с сервером/);
    expect(text).not.toMatch(/fetch/i);
    expect(describeError(new TypeError("Failed to fetch"), t)).toMatch(/Нет связи/);
  });

  it("a domain refusal is said by its key, with its details", async () => {
    const t = await russian();
    expect(describeError(answered({ code: "CONFLICT", httpStatus: 409, reason: "order_transition", details: { from: "sent", to: "draft" } }), t)).toBe(
      "Заказ в статусе «отправлен» нельзя перевести в статус «черновик».",
    );
    expect(describeError(answered({ code: "BAD_REQUEST", httpStatus: 400, reason: "quantity_range", details: { max: "100000" } }), t)).toMatch(/от 0 до 100000/);
  });

  it("a refusal without a key is said by its status, never in the server's English", async () => {
    const t = await russian();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ httpStatus: 400, zodError: { fieldErrors: {} } }, /введённого неверна/],
      [{ httpStatus: 404 }, /Этого уже нет/],
      [{ httpStatus: 409 }, /успели измениться/],
      [{ httpStatus: 412 }, /нельзя/],
      [{ httpStatus: 429 }, /Слишком много/],
      [{ httpStatus: 500 }, /на нашей стороне/],
      [{ httpStatus: 403 }, /нет прав/],
    ];
    for (const [data, expected] of cases) {
      const text = describeError(answered(data), t);
      expect(text).toMatch(expected);
      expect(text).not.toContain("English");
    }
  });
});
