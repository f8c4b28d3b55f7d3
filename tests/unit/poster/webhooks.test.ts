import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { PosterWebhookBody } from "@/simulator";
import { isValidPosterSignature, posterVerify } from "@/server/poster/webhook-signature";
import { CAFE, clientFor, newSim } from "./support";

interface Receiver { url: string; received: PosterWebhookBody[]; close(): Promise<void> }

/** A real HTTP receiver; `status(n)` decides the answer to the n-th request (0-based). */
async function receiver(status: (n: number) => number): Promise<Receiver> {
  const received: PosterWebhookBody[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      received.push(JSON.parse(raw) as PosterWebhookBody);
      res.writeHead(status(n++), { "content-type": "application/json" }).end('{"status":"accept"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

const FAST = { retries: 4, minDelayMs: 10, maxDelayMs: 40, factor: 2 };
let open: Receiver | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe("posterVerify", () => {
  it("is md5(account;object;object_id;action[;data];time;secret)", () => {
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const base = { account: "democafe", object: "stock", object_id: 73, action: "changed", time: "1739260000" };
    expect(posterVerify(base, "sec")).toBe(md5("democafe;stock;73;changed;1739260000;sec"));
    const data = '{"type":1,"element_id":73}';
    expect(posterVerify({ ...base, data }, "sec")).toBe(md5(`democafe;stock;73;changed;${data};1739260000;sec`));
    expect(isValidPosterSignature({ ...base, verify: posterVerify(base, "sec") }, "sec")).toBe(true);
    expect(isValidPosterSignature({ ...base, verify: posterVerify(base, "other") }, "sec")).toBe(false);
    expect(isValidPosterSignature({ ...base, verify: undefined }, "sec")).toBe(false);
  });
});

describe("webhook signatures with an empty data", () => {
  const md5 = (s: string) => createHash("md5").update(s).digest("hex");
  const base = { account: "democafe", object: "ingredient", object_id: 73, action: "changed", time: "1739260000" };
  // Poster's PHP SDK (isset) joins an empty data; the docs' prose and other clients leave it out.
  const joined = md5("democafe;ingredient;73;changed;;1739260000;sec");
  const leftOut = md5("democafe;ingredient;73;changed;1739260000;sec");

  it("signs an empty data the way Poster's SDK does (joined), and accepts either form from Poster", () => {
    expect(posterVerify({ ...base, data: "" }, "sec")).toBe(joined);
    expect(isValidPosterSignature({ ...base, data: "", verify: joined }, "sec")).toBe(true);
    expect(isValidPosterSignature({ ...base, data: "", verify: leftOut.toUpperCase() }, "sec")).toBe(true);
    expect(isValidPosterSignature({ ...base, data: "", verify: md5("democafe;ingredient;73;changed;;1739260000;other") }, "sec")).toBe(false);
  });

  it("treats data: null and a missing data alike (left out), and never accepts the joined form for them", () => {
    expect(posterVerify({ ...base, data: null }, "sec")).toBe(leftOut);
    expect(isValidPosterSignature({ ...base, data: null, verify: leftOut }, "sec")).toBe(true);
    expect(isValidPosterSignature({ ...base, verify: leftOut }, "sec")).toBe(true);
    expect(isValidPosterSignature({ ...base, verify: joined }, "sec")).toBe(false);
    // A real data is signed as sent, never as empty.
    expect(isValidPosterSignature({ ...base, data: "{}", verify: joined }, "sec")).toBe(false);
  });

  it("the simulator can send hooks without data as omitted, empty or null, each correctly signed", () => {
    for (const emptyData of ["omit", "empty", "null"] as const) {
      const sim = newSim({ webhooks: { url: "http://127.0.0.1:9/unused", emptyData, retry: { retries: 0 } } });
      sim.edit(CAFE.login, { op: "renameIngredient", ingredientId: 1, name: "x" });
      const body = sim.webhooks.deliveries()[0]!.body as PosterWebhookBody & { data?: string | null };
      sim.close();
      if (emptyData === "omit") expect("data" in body).toBe(false);
      else expect(body.data).toBe(emptyData === "empty" ? "" : null);
      expect(isValidPosterSignature(body, sim.application.secret)).toBe(true);
    }
  });
});

describe("simulator webhooks", () => {
  it("createSupply sends signed `supply` added then `stock` changed, retrying non-200 answers in order", async () => {
    open = await receiver((n) => (n < 2 ? 500 : 200));
    const sim = newSim({ webhooks: { url: open.url, retry: FAST } });
    await clientFor(sim).createSupply({ storageId: 1, supplierId: 1, date: "2026-02-11 10:00:00", lines: [{ id: 7, num: "2.5", pricePerUnitMinor: 1000 }] });
    await sim.webhooks.idle();

    const got = open.received;
    // Two failed deliveries of the first hook, then it, then the hook queued behind it.
    expect(got.map((b) => `${b.object}:${b.action}`)).toEqual(["supply:added", "supply:added", "supply:added", "stock:changed"]);
    for (const body of got) {
      expect(body.verify).toBe(posterVerify(body, sim.application.secret));
      expect(body).toMatchObject({ account: CAFE.login, account_number: CAFE.accountNumber });
      expect(typeof body.object_id).toBe("number");
      expect(body.time).toMatch(/^\d{10}$/);
    }
    const stock = got[3] as PosterWebhookBody;
    expect(typeof stock.data).toBe("string");
    const data = JSON.parse(stock.data ?? "{}") as Record<string, number>;
    expect(data).toMatchObject({ type: 1, element_id: 7, storage_id: 1, value_relative: 2.5 });
    expect(stock.object_id).toBe(7);
    const account = sim.account(CAFE.login);
    expect(data.value_absolute).toBeCloseTo((account.data.stock.get(1)?.get(7) ?? 0) / 100_000, 5);
    expect(sim.webhooks.deliveries().map((d) => [d.attempts, d.state])).toEqual([[3, "delivered"], [1, "delivered"]]);
  });

  it("gives up after the retry budget without blocking later hooks", async () => {
    open = await receiver((n) => (n < 3 ? 503 : 200));
    const sim = newSim({ webhooks: { url: open.url, retry: { ...FAST, retries: 2 } } });
    sim.edit(CAFE.login, { op: "hideIngredient", ingredientId: 4 });
    sim.edit(CAFE.login, { op: "deleteIngredient", ingredientId: 5 });
    await sim.webhooks.idle();
    expect(sim.webhooks.deliveries().map((d) => [d.body.object_id, d.body.action, d.attempts, d.state])).toEqual([
      [4, "changed", 3, "failed"],
      [5, "removed", 1, "delivered"],
    ]);
  });

  it("sends application added (with the token) and removed; none while uninstalled; URL settable at run time", async () => {
    open = await receiver(() => 200);
    const sim = newSim({ webhooks: { retry: FAST } });
    sim.edit(CAFE.login, { op: "renameIngredient", ingredientId: 1, name: "x" }); // no URL yet: nothing sent
    sim.webhooks.setUrl(open.url);
    sim.uninstallApp(CAFE.login);
    sim.edit(CAFE.login, { op: "renameIngredient", ingredientId: 1, name: "y" }); // uninstalled: nothing sent
    sim.installApp(CAFE.login);
    sim.edit(CAFE.login, { op: "deleteStorage", storageId: 2 });
    await sim.webhooks.idle();
    expect(open.received.map((b) => `${b.object}:${b.action}`)).toEqual(["application:removed", "application:added", "storage:removed"]);
    const added = JSON.parse(open.received[1]?.data ?? "{}") as Record<string, unknown>;
    expect(added).toMatchObject({ access_token: CAFE.token, user_id: 1 });
  });
});
