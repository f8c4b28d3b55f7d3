import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  PosterApiError, PosterAuthError, PosterError, PosterPermissionError, PosterRateLimitedError,
  PosterResponseFormatError, PosterUnavailableError,
} from "@/server/poster/errors";
import { CAFE, api, clientFor, newSim } from "./support";

const HEX = CAFE.token.split(":")[1] as string;

async function caught(p: Promise<unknown>): Promise<PosterError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof PosterError)) throw new Error(`expected a PosterError, got ${String(err)}`);
  // Whatever failed, the token must never leak into what gets logged.
  for (const text of [err.message, String(err), err.stack ?? ""]) {
    expect(text).not.toContain(CAFE.token);
    expect(text).not.toContain(HEX);
  }
  return err;
}

/** A fetch that answers a fixed JSON body for every request (shapes the simulator never sends). */
function fixedFetch(body: unknown, status = 200): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("Poster client: error codes", () => {
  it("code 10 (no token) → PosterAuthError missing, without the auth-failure latch", async () => {
    const sim = newSim();
    const onAuthFailure = vi.fn();
    const client = clientFor(sim, { token: "", onAuthFailure });
    const err = await caught(client.getStorages());
    expect(err).toBeInstanceOf(PosterAuthError);
    expect((err as PosterAuthError).reason).toBe("missing");
    expect(onAuthFailure).not.toHaveBeenCalled();
    expect(client.authFailed).toBe(false);
  });

  it("code 11 (bad token) → PosterAuthError invalid, onAuthFailure once, then no more network calls", async () => {
    const sim = newSim();
    const onAuthFailure = vi.fn();
    const bad = `${CAFE.accountNumber}:${"0".repeat(32)}`;
    const client = clientFor(sim, { token: bad, onAuthFailure });
    const err = await caught(client.getStorages());
    expect(err).toBeInstanceOf(PosterAuthError);
    expect((err as PosterAuthError).reason).toBe("invalid");
    expect(err.message).not.toContain(bad);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
    const again = await caught(client.getSuppliers());
    expect(again).toBeInstanceOf(PosterAuthError);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
    expect(client.authFailed).toBe(true);
  });

  it("code 12 (expired) with concurrent calls → onAuthFailure exactly once, no retry loop", async () => {
    const sim = newSim();
    sim.expireToken(CAFE.login);
    const onAuthFailure = vi.fn(async (_err: PosterAuthError) => {});
    const client = clientFor(sim, { onAuthFailure, retry: { retries: 5, minTimeoutMs: 1, maxTimeoutMs: 2 } });
    const errors = await Promise.all([client.getStorages(), client.getIngredients(), client.getSuppliers()].map(caught));
    for (const e of errors) {
      expect(e).toBeInstanceOf(PosterAuthError);
      expect((e as PosterAuthError).reason).toBe("expired");
    }
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
    expect(onAuthFailure.mock.calls[0]?.[0]).toBeInstanceOf(PosterAuthError);
    // One request per call: an auth failure is never retried.
    expect(sim.requestLog(CAFE.login).map((r) => r.errorCode)).toEqual([12, 12, 12]);
    await caught(client.getStorages());
    expect(sim.requestLog(CAFE.login)).toHaveLength(3);
  });

  it("a revoked token (app uninstalled) → code 11", async () => {
    const sim = newSim();
    sim.uninstallApp(CAFE.login);
    const err = await caught(clientFor(sim).getStorages());
    expect(err).toMatchObject({ reason: "invalid", code: 11 });
  });

  it("code 20 → PosterPermissionError, not retried", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { deniedMethods: ["storage.getSuppliers"] });
    const err = await caught(clientFor(sim).getSuppliers());
    expect(err).toBeInstanceOf(PosterPermissionError);
    expect((err as PosterPermissionError).code).toBe(20);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
  });

  it("code 32 (unknown id) → PosterApiError, not retried", async () => {
    const sim = newSim();
    const err = await caught(clientFor(sim).getSupply(999));
    expect(err).toBeInstanceOf(PosterApiError);
    expect((err as PosterApiError).code).toBe(32);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
  });

  it("code 34 (flat createSupply body) → PosterApiError, not retried even when marked idempotent", async () => {
    const sim = newSim();
    const flat = { date: "2026-02-11 10:00:00", supplier_id: 1, storage_id: 1, ingredients: [{ id: 1, type: 4, num: 1, sum: 10 }] };
    const err = await caught(clientFor(sim).call("storage.createSupply", z.unknown(), { body: flat, idempotent: true }));
    expect(err).toBeInstanceOf(PosterApiError);
    expect((err as PosterApiError).code).toBe(34);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
  });

  it("unknown or wrong-case method → HTTP 405 / code 30", async () => {
    const sim = newSim();
    const err = await caught(clientFor(sim).call("storage.getsupplies", z.unknown()));
    expect(err).toBeInstanceOf(PosterApiError);
    expect((err as PosterApiError).code).toBe(30);
    expect(sim.requestLog(CAFE.login)[0]?.httpStatus).toBe(405);
  });

  it("accepts the flat error shape {error: N, message, field}", async () => {
    const sim = newSim();
    const client = clientFor(sim, { fetch: fixedFetch({ error: 34, message: "Fieild client_id is required", field: "application_id" }) });
    const err = await caught(client.getStorages());
    expect(err).toBeInstanceOf(PosterApiError);
    expect(err).toMatchObject({ code: 34, field: "application_id" });
    const flatAuth = clientFor(sim, { fetch: fixedFetch({ error: 12, message: "expired" }) });
    expect(await caught(flatAuth.getStorages())).toMatchObject({ reason: "expired" });
  });

  it("a broken envelope (a list method answering an object, or no response) → PosterResponseFormatError (not retried)", async () => {
    let calls = 0;
    const client = clientFor(newSim(), { fetch: async () => (calls++, new Response(JSON.stringify({ response: { storage_id: "1" } }))) });
    expect(await caught(client.getStorages())).toBeInstanceOf(PosterResponseFormatError);
    expect(calls).toBe(1);
    const empty = clientFor(newSim(), { fetch: fixedFetch({ success: 1 }) });
    expect(await caught(empty.getIngredients())).toBeInstanceOf(PosterResponseFormatError);
  });
});

describe("Poster client: coercion of Poster's loose types", () => {
  it("parses numbers-as-strings, flags, decimals, both name spellings and address spellings", async () => {
    const responses: Record<string, unknown> = {
      "menu.getCategoriesIngredients": [{ category_id: "3", name: "Алкоголь" }, { category_id: 4, category_name: "Овощи" }],
      "storage.getSuppliers": [
        { supplier_id: "2", supplier_name: "Veg Co", supplier_phone: "0987658943", supplier_adress: "Baikalska st", delete: "0" },
        { supplier_id: 3, supplier_name: "B", supplier_address: "Correct st", delete: 1 },
      ],
      "storage.getStorageLeftovers": [
        { ingredient_id: "76", ingredient_name: "Eggs", ingredient_left: "-1678.00000", storage_ingredient_left: "-12.00", ingredient_unit: "p", ingredients_type: "1", storage_ingredient_sum: "0", prime_cost: "174", hidden: "0" },
        { ingredient_id: 39, ingredient_name: "Apples", ingredient_left: "3143,5", ingredient_unit: "kg", storage_ingredient_sum: 4591923, prime_cost: 1461, hidden: "1" },
      ],
      "menu.getIngredients": [{ ingredient_id: "91", ingredient_name: "Whisky", category_id: "0", ingredient_left: "443.45000", ingredient_unit: "l", ingredient_weight: 0, ingredients_type: "1", limit_value: "0" }],
    };
    const fetchImpl: typeof fetch = async (input) => {
      const method = new URL(String(input)).pathname.split("/").pop() ?? "";
      return new Response(JSON.stringify({ response: responses[method] }));
    };
    const client = clientFor(newSim(), { fetch: fetchImpl });
    expect(await client.getCategoriesIngredients()).toEqual([{ id: 3, name: "Алкоголь" }, { id: 4, name: "Овощи" }]);
    const suppliers = await client.getSuppliers();
    expect(suppliers.map((s) => [s.id, s.address, s.deleted])).toEqual([[2, "Baikalska st", false], [3, "Correct st", true]]);
    const left = await client.getStorageLeftovers({ storageId: 1 });
    expect(left[0]).toMatchObject({ ingredientId: 76, totalLeft: "-1678", storageLeft: "-12", primeCostMinor: 174, sumMinor: 0, hidden: false });
    expect(left[1]).toMatchObject({ ingredientId: 39, totalLeft: "3143.5", storageLeft: null, primeCostMinor: 1461, sumMinor: 4591923, hidden: true });
    const [whisky] = await client.getIngredients();
    expect(whisky).toMatchObject({ id: 91, categoryId: null, totalLeft: "443.45", unit: "l", deleted: false, hidden: false });
  });

  it("round-trips a supply against the simulator: getSupply major units come back as minor units", async () => {
    const sim = newSim();
    const client = clientFor(sim);
    const before = (await client.getStorageLeftovers({ storageId: 2, zeroLeftovers: true })).find((l) => l.ingredientId === 7);
    const id = await client.createSupply({
      storageId: 2, supplierId: 1, date: new Date("2026-02-11T09:05:00Z"), timeZone: "Europe/Moscow", comment: "Заказ №12",
      lines: [{ id: 7, num: "2.5", pricePerUnitMinor: 12050 }, { id: 8, num: 3, pricePerUnitMinor: 5000 }],
    });
    expect(id).toBeTypeOf("number");
    const supply = await client.getSupply(id);
    expect(supply).toMatchObject({ id, storageId: 2, supplierId: 1, date: "2026-02-11 12:05:00", comment: "Заказ №12", sumMinor: 30125 + 15000 });
    expect(supply.lines.map((l) => [l.ingredientId, l.num, l.sumMinor])).toEqual([[7, "2.5", 30125], [8, "3", 15000]]);
    const [summary] = await client.getSupplies({ dateFrom: "20260211", dateTo: "20260211" });
    expect(summary).toMatchObject({ id, sumMinor: 45125, storageId: 2 });
    const after = (await client.getStorageLeftovers({ storageId: 2 })).find((l) => l.ingredientId === 7);
    expect(Number(after?.storageLeft)).toBeCloseTo(Number(before?.storageLeft ?? 0) + 2.5, 5);
  });
});

describe("Poster client: retries", () => {
  it("retries 5xx and dropped connections within the budget", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { queue: ["5xx", "drop", "5xx"] });
    const storages = await clientFor(sim).getStorages();
    expect(storages.length).toBeGreaterThan(0);
    expect(sim.requestLog(CAFE.login).map((r) => r.httpStatus)).toEqual([503, 0, 503, 200]);
  });

  it("gives up after the budget with PosterUnavailableError", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { queue: ["5xx", "5xx", "5xx", "5xx", "5xx"] });
    const err = await caught(clientFor(sim, { retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 } }).getStorages());
    expect(err).toBeInstanceOf(PosterUnavailableError);
    expect((err as PosterUnavailableError).status).toBe(503);
    expect(sim.requestLog(CAFE.login)).toHaveLength(3);
  });

  it("times out slow answers (AbortSignal.timeout) and retries them", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { latencyMs: 300 });
    const started = Date.now();
    const err = await caught(clientFor(sim, { timeoutMs: 40, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2 } }).getStorages());
    expect(err).toMatchObject({ kind: "timeout" });
    expect(sim.requestLog(CAFE.login)).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(290);
  });

  it("does not retry createSupply on 5xx (it may have been applied), but does on 429", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { queue: ["5xx"] });
    const client = clientFor(sim);
    const input = { storageId: 1, supplierId: 1, date: "2026-02-11 10:00:00", lines: [{ id: 1, num: 1, pricePerUnitMinor: 100 }] };
    expect(await caught(client.createSupply(input))).toBeInstanceOf(PosterUnavailableError);
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
    sim.setFaults(CAFE.login, { queue: ["429"] });
    const id = await clientFor(sim, { retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2, maxRetryAfterMs: 10 } }).createSupply(input);
    expect(id).toBe(1);
    expect(sim.requestLog(CAFE.login).map((r) => r.httpStatus)).toEqual([503, 429, 200]);
  });

  it("honours Retry-After on 429", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { rateLimit: { limit: 1, windowMs: 1000 } });
    const client = clientFor(sim, { retry: { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2 } });
    await client.getStorages();
    await client.getStorages();
    const log = sim.requestLog(CAFE.login);
    // Without honouring Retry-After, a 1 ms backoff would hit the limit again and again.
    expect(log.map((r) => r.httpStatus)).toEqual([200, 429, 200]);
    const gap = (log[2]?.at ?? 0) - (log[1]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(1500);
  });

  it("caps Retry-After and surfaces PosterRateLimitedError after the budget", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { queue: ["429", "429", "429"] });
    const started = Date.now();
    const err = await caught(clientFor(sim, { retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2, maxRetryAfterMs: 20 } }).getStorages());
    expect(err).toBeInstanceOf(PosterRateLimitedError);
    expect((err as PosterRateLimitedError).retryAfterMs).toBe(1000);
    expect(Date.now() - started).toBeLessThan(500);
    expect(sim.requestLog(CAFE.login)).toHaveLength(3);
  });
});

describe("Poster client: secrets", () => {
  it("never puts the token in network error messages, even when the cause quotes the URL", async () => {
    const client = clientFor(newSim(), {
      fetch: async (input) => {
        throw new TypeError(`fetch failed: ${String(input)}`, { cause: new Error(`connect ECONNREFUSED ${String(input)}`) });
      },
      retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 1 },
    });
    const err = await caught(client.getStorages());
    expect(err).toMatchObject({ kind: "network" });
    expect(err.message).toContain("[redacted]");
  });

  it("sends the token in the query string and nowhere else", async () => {
    const sim = newSim();
    let seen: Request | undefined;
    const client = clientFor(sim, { fetch: async (i, init) => ((seen = new Request(i, init)), sim.fetch(i, init)) });
    await client.getStorages();
    expect(new URL(seen?.url ?? "").searchParams.get("token")).toBe(CAFE.token);
    expect(seen?.headers.get("authorization")).toBeNull();
    const res = await api(sim, "storage.getStorages");
    expect(res.status).toBe(200);
  });
});
