import { describe, expect, it } from "vitest";
import { buildAuthorizeUrl, exchangeOAuthCode } from "@/server/poster/oauth";
import { PosterOAuthError } from "@/server/poster/errors";
import { generateAccountData, startPosterSimulatorServer } from "@/simulator";
import { BAR, BASE, CAFE, api, apiJson, newSim } from "./support";

type Row = Record<string, unknown>;
const rows = (body: Record<string, unknown>) => body.response as Row[];
const DEC5 = /^-?\d+\.\d{5}$/;

describe("simulator: envelope and types", () => {
  it("wraps results in {response} and prints ids, flags and decimals as strings", async () => {
    const sim = newSim();
    const storages = rows((await apiJson(sim, "storage.getStorages")).body);
    expect(storages.length).toBeGreaterThanOrEqual(3);
    for (const s of storages) {
      expect(s.storage_id).toMatch(/^\d+$/);
      expect(["0", "1"]).toContain(s.delete);
      expect(s).toHaveProperty("storage_adress");
    }
    const ings = rows((await apiJson(sim, "menu.getIngredients")).body);
    for (const i of ings.slice(0, 50)) {
      expect(i.ingredient_id).toMatch(/^\d+$/);
      expect(i.ingredient_left).toMatch(DEC5);
      expect(typeof i.ingredient_weight).toBe("number");
      expect(["kg", "l", "p"]).toContain(i.ingredient_unit);
      expect(["0", "1"]).toContain(i.hidden);
    }
    const cats = rows((await apiJson(sim, "menu.getCategoriesIngredients")).body);
    expect(cats[0]).toHaveProperty("name");
    expect(cats[0]).not.toHaveProperty("category_name");
    const spots = rows((await apiJson(sim, "access.getSpots")).body);
    expect(typeof (spots[0]?.storages as Row[])[0]?.storage_id).toBe("number");
    const settings = (await apiJson(sim, "settings.getAllSettings")).body.response as Row;
    expect(settings).toMatchObject({ COMPANY_ID: CAFE.login, timezones: "Europe/Moscow", currency: { currency_code_iso: "RUB" } });
    const bar = (await apiJson(sim, "settings.getAllSettings", {}, undefined, BAR.token)).body.response as Row;
    expect(bar).toMatchObject({ COMPANY_ID: BAR.login, timezones: "Asia/Almaty", lang: "en", currency: { currency_code_iso: "USD" } });
  });

  it("answers application errors with HTTP 200 and an unknown method with HTTP 405 / code 30", async () => {
    const sim = newSim();
    expect(await apiJson(sim, "storage.getStorages", {}, undefined, "")).toEqual({ status: 200, body: { error: { code: 10, message: expect.any(String) } } });
    expect((await apiJson(sim, "storage.getStorages", {}, undefined, `${CAFE.accountNumber}:${"a".repeat(32)}`)).body).toMatchObject({ error: { code: 11 } });
    expect((await apiJson(sim, "storage.getStorages", {}, undefined, `999999:${"a".repeat(32)}`)).body).toMatchObject({ error: { code: 11 } });
    sim.expireToken(CAFE.login);
    expect(await apiJson(sim, "storage.getStorages")).toMatchObject({ status: 200, body: { error: { code: 12 } } });
    expect(await apiJson(sim, "storage.GetStorages")).toMatchObject({ status: 405, body: { error: { code: 30, message: "Method Not Allowed" } } });
  });

  it("expires a token after a delay", async () => {
    let now = 1_000_000;
    const sim = newSim({ now: () => now });
    sim.expireToken(CAFE.login, 5_000);
    expect((await apiJson(sim, "storage.getStorages")).body).toHaveProperty("response");
    now += 5_000;
    expect((await apiJson(sim, "storage.getStorages")).body).toMatchObject({ error: { code: 12 } });
  });
});

describe("simulator: leftovers", () => {
  it("per-storage vs all-storage totals, zero rows hidden unless asked, negatives returned", async () => {
    const sim = newSim();
    const ing = 5;
    sim.edit(CAFE.login, { op: "setStock", storageId: 1, ingredientId: ing, quantity: 5 });
    sim.edit(CAFE.login, { op: "setStock", storageId: 2, ingredientId: ing, quantity: -2 });
    sim.edit(CAFE.login, { op: "setStock", storageId: 3, ingredientId: ing, quantity: null });
    sim.edit(CAFE.login, { op: "setStock", storageId: 4, ingredientId: ing, quantity: 0 });
    const find = async (q: Record<string, string>) => rows((await apiJson(sim, "storage.getStorageLeftovers", q)).body).find((r) => r.ingredient_id === String(ing));

    expect(await find({ storage_id: "1" })).toMatchObject({ storage_ingredient_left: "5.00000", ingredient_left: "3.00000" });
    expect(await find({ storage_id: "2" })).toMatchObject({ storage_ingredient_left: "-2.00000", ingredient_left: "3.00000" });
    expect(await find({ storage_id: "4" })).toBeUndefined();
    expect(await find({ storage_id: "3" })).toBeUndefined();
    expect(await find({ storage_id: "4", zero_leftovers: "true" })).toMatchObject({ storage_ingredient_left: "0.00000" });
    const all = await find({});
    expect(all).toMatchObject({ ingredient_left: "3.00000" });
    expect(all).not.toHaveProperty("storage_ingredient_left");
    const fromList = rows((await apiJson(sim, "menu.getIngredients")).body).find((r) => r.ingredient_id === String(ing));
    expect(fromList?.ingredient_left).toBe("3.00000");
    // Money in leftovers is minor units (an integer string); prime_cost a number as in the docs.
    const row = await find({ storage_id: "1" });
    expect(row?.storage_ingredient_sum).toMatch(/^\d+$/);
    expect(typeof row?.prime_cost).toBe("number");
  });

  it("generated stock has zero, negative and missing rows", () => {
    const data = generateAccountData("stock-shape", { ingredients: 600, storages: 3 });
    const values = [...(data.stock.get(1)?.values() ?? [])];
    expect(values.some((v) => v === 0)).toBe(true);
    expect(values.some((v) => v < 0)).toBe(true);
    expect(values.length).toBeLessThan(600);
  });
});

describe("simulator: storage.createSupply", () => {
  const stockOf = async (sim: ReturnType<typeof newSim>, storageId: number, id: number) => {
    const r = rows((await apiJson(sim, "storage.getStorageLeftovers", { storage_id: String(storageId), zero_leftovers: "true" })).body).find((x) => x.ingredient_id === String(id));
    return Number(r?.storage_ingredient_left ?? 0);
  };

  it("accepts the nested JSON body, raises that storage's stock and keeps the unit trap (minor vs major)", async () => {
    const sim = newSim();
    const before1 = await stockOf(sim, 1, 10);
    const before2 = await stockOf(sim, 2, 10);
    const { body } = await apiJson(sim, "storage.createSupply", {}, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ supply: { date: "2026-02-11 14:05:00", supplier_id: "1", storage_id: "1", supply_comment: "Order #123" }, ingredient: [{ id: "10", type: "4", num: "3", sum: "50" }] }),
    });
    expect(body).toEqual({ success: 1, response: 1 });
    expect(await stockOf(sim, 1, 10)).toBeCloseTo(before1 + 3, 5);
    expect(await stockOf(sim, 2, 10)).toBeCloseTo(before2, 5);
    const list = rows((await apiJson(sim, "storage.getSupplies", { dateFrom: "20260211", dateTo: "20260211" })).body);
    expect(list[0]).toMatchObject({ supply_id: "1", supply_sum: "15000", supply_comment: "Order #123", delete: "0", account_id: null });
    const one = (await apiJson(sim, "storage.getSupply", { supply_id: "1" })).body.response as Row;
    expect(one.supply_sum).toBe("150.00");
    expect((one.ingredients as Row[])[0]).toMatchObject({ supply_ingredient_sum: "150.00", supply_ingredient_num: "3.00000", type: 1 });
    const lines = rows((await apiJson(sim, "storage.getSupplyIngredients", { supply_id: "1" })).body);
    expect(lines[0]?.supply_ingredient_sum).toBe("15000");
  });

  it("accepts PHP-bracket urlencoded and multipart bodies", async () => {
    const sim = newSim();
    const before = await stockOf(sim, 2, 11);
    const form = "supply[date]=2026-02-12 09:00:00&supply[supplier_id]=2&supply[storage_id]=2&ingredient[0][id]=11&ingredient[0][type]=4&ingredient[0][num]=2.5&ingredient[0][sum]=120.50";
    const urlencoded = await apiJson(sim, "storage.createSupply", {}, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    expect(urlencoded.body).toEqual({ success: 1, response: 1 });
    const fd = new FormData();
    for (const [k, v] of new URLSearchParams(form)) fd.set(k, v);
    const multipart = await apiJson(sim, "storage.createSupply", {}, { method: "POST", body: fd });
    expect(multipart.body).toEqual({ success: 1, response: 2 });
    expect(await stockOf(sim, 2, 11)).toBeCloseTo(before + 5, 5);
    const supply = (await apiJson(sim, "storage.getSupply", { supply_id: "2" })).body.response as Row;
    expect(supply.supply_sum).toBe("301.25");
  });

  it("rejects the flat body with code 34 and changes nothing", async () => {
    const sim = newSim();
    const before = await stockOf(sim, 1, 12);
    const flat = { date: "2026-02-11 10:00:00", supplier_id: 1, storage_id: 1, ingredients: [{ id: 12, type: 4, num: 1, sum: 10 }] };
    const res = await apiJson(sim, "storage.createSupply", {}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(flat) });
    expect(res).toMatchObject({ status: 200, body: { error: { code: 34 } } });
    expect(await stockOf(sim, 1, 12)).toBeCloseTo(before, 5);
    expect(sim.account(CAFE.login).data.supplies).toHaveLength(0);
  });

  it("validates ids, the type enum (1/4/5) and the date format", async () => {
    const sim = newSim();
    const post = (supply: Row, ingredient: unknown) =>
      apiJson(sim, "storage.createSupply", {}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ supply, ingredient }) });
    const ok = { date: "2026-02-11 10:00:00", supplier_id: 1, storage_id: 1 };
    expect((await post(ok, [{ id: 1, type: 9, num: 1, sum: 1 }])).body).toMatchObject({ error: { code: 155 } });
    expect((await post(ok, [{ id: 1, type: 1, num: 1, sum: 1 }])).body).toMatchObject({ error: { code: 32 } }); // no products in the sim
    expect((await post(ok, [{ id: 99_999, type: 4, num: 1, sum: 1 }])).body).toMatchObject({ error: { code: 32 } });
    expect((await post({ ...ok, supplier_id: 99_999 }, [{ id: 1, type: 4, num: 1, sum: 1 }])).body).toMatchObject({ error: { code: 32 } });
    expect((await post({ ...ok, date: "11.02.2026" }, [{ id: 1, type: 4, num: 1, sum: 1 }])).body).toMatchObject({ error: { code: 155 } });
    expect((await post(ok, "nope")).body).toMatchObject({ error: { code: 36 } });
    expect(sim.account(CAFE.login).data.supplies).toHaveLength(0);
  });
});

describe("simulator: OAuth", () => {
  const redirectUri = "http://localhost:3000/api/poster/callback";

  it("authorize redirects with a 32-char code, the account login and state; the code is single-use", async () => {
    const sim = newSim({ basePath: "/api/poster-sim" });
    const base = `${BASE}/api/poster-sim`;
    const url = buildAuthorizeUrl({ baseUrl: base, applicationId: sim.application.id, redirectUri, account: BAR.login, state: "s1" });
    const res = await sim.fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(redirectUri);
    const code = location.searchParams.get("code") ?? "";
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect(location.searchParams.get("account")).toBe(BAR.login);
    expect(location.searchParams.get("state")).toBe("s1");

    const exchange = { baseUrl: base, applicationId: sim.application.id, applicationSecret: sim.application.secret, redirectUri, code, fetch: sim.fetch };
    const result = await exchangeOAuthCode(exchange);
    expect(result).toMatchObject({ accessToken: BAR.token, accountNumber: BAR.accountNumber, user: { roleId: 3 }, owner: { country: "KZ" } });
    const reused = await exchangeOAuthCode(exchange).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(PosterOAuthError);
    expect(reused).toMatchObject({ errorType: "invalid_grant" });
    expect(String(reused)).not.toContain(code);
  });

  it("uses the default demo account, returns the documented body, and rejects a wrong secret", async () => {
    const sim = newSim();
    const res = await sim.fetch(`${BASE}/api/auth?client_id=${sim.application.id}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code`, { redirect: "manual" });
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("account")).toBe(CAFE.login);
    const wrong = new FormData();
    for (const [k, v] of Object.entries({ application_id: sim.application.id, application_secret: "nope", grant_type: "authorization_code", redirect_uri: redirectUri, code })) wrong.set(k, v);
    const bad = (await (await sim.fetch(`${BASE}/api/v2/auth/access_token`, { method: "POST", body: wrong })).json()) as Row;
    expect(bad).toMatchObject({ code: expect.any(Number), error_type: "invalid_client", error_message: expect.any(String) });
    expect(bad).not.toHaveProperty("access_token");

    // Legacy path, client_* names, urlencoded: same body plus new_access_token.
    const res2 = await sim.fetch(`${BASE}/api/auth?application_id=${sim.application.id}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code`, { redirect: "manual" });
    const code2 = new URL(res2.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const legacy = (await (await sim.fetch(`${BASE}/api/auth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: sim.application.id, client_secret: sim.application.secret, grant_type: "authorization_code", redirect_uri: redirectUri, code: code2 }).toString(),
    })).json()) as Row;
    expect(legacy).toMatchObject({ access_token: CAFE.token, new_access_token: CAFE.token, account_number: "100001", user: { role_id: 3 }, ownerInfo: { company_name: CAFE.companyName } });
    expect(typeof legacy.account_number).toBe("string");
  });
});

describe("simulator: accounts", () => {
  const snapshot = (seed: string) => {
    const d = generateAccountData(seed);
    return JSON.stringify({ ...d, stock: [...d.stock].map(([k, v]) => [k, [...v]]) });
  };

  it("is deterministic per seed and differs between seeds", () => {
    expect(snapshot("seed-a")).toBe(snapshot("seed-a"));
    expect(snapshot("seed-a")).not.toBe(snapshot("seed-b"));
  });

  it("stays within the documented size ranges with unique names", () => {
    for (const seed of ["r1", "r2", "r3", "r4", "r5"]) {
      const d = generateAccountData(seed);
      expect(d.storages.length).toBeGreaterThanOrEqual(3);
      expect(d.storages.length).toBeLessThanOrEqual(6);
      expect(d.ingredients.length).toBeGreaterThanOrEqual(300);
      expect(d.ingredients.length).toBeLessThanOrEqual(2000);
      expect(d.suppliers.length).toBeGreaterThanOrEqual(20);
      expect(d.suppliers.length).toBeLessThanOrEqual(60);
      expect(new Set(d.ingredients.map((i) => i.name)).size).toBe(d.ingredients.length);
      expect(d.suppliers.every((s) => /[А-Яа-яЁё]/.test(s.name))).toBe(true);
    }
  });

  it("two accounts reuse the same ids (starting at 1) with different data", async () => {
    const sim = newSim();
    const cafe = rows((await apiJson(sim, "storage.getSuppliers")).body);
    const bar = rows((await apiJson(sim, "storage.getSuppliers", {}, undefined, BAR.token)).body);
    expect(cafe[0]?.supplier_id).toBe("1");
    expect(bar[0]?.supplier_id).toBe("1");
    expect(cafe[0]?.supplier_name).not.toBe(bar[0]?.supplier_name);
  });

  it("creates a 2,000-ingredient, 6-storage benchmark account", async () => {
    const sim = newSim();
    const big = sim.createAccount({ size: { ingredients: 2000, storages: 6 } });
    const ings = rows((await apiJson(sim, "menu.getIngredients", {}, undefined, big.token)).body);
    const storages = rows((await apiJson(sim, "storage.getStorages", {}, undefined, big.token)).body);
    expect(ings).toHaveLength(2000);
    expect(storages).toHaveLength(6);
    expect(ings[0]?.ingredient_id).toBe("1");
    expect(big.token.startsWith(`${big.profile.accountNumber}:`)).toBe(true);
  });
});

describe("simulator: mounting, control API and adapters", () => {
  it("works under a base path and nowhere else", async () => {
    const sim = newSim({ basePath: "/api/poster-sim/" });
    expect(sim.basePath).toBe("/api/poster-sim");
    expect((await sim.fetch(`${BASE}/api/poster-sim/api/storage.getStorages?token=${CAFE.token}`)).status).toBe(200);
    expect((await sim.fetch(`${BASE}/api/storage.getStorages?token=${CAFE.token}`)).status).toBe(404);
  });

  it("control API: list accounts, set faults, edit data, expire tokens, read the request log", async () => {
    const secret = "simulator-control-secret";
    const sim = newSim({ basePath: "/api/poster-sim", control: { secret } });
    const ctl = (path: string, body?: unknown, key = secret) =>
      sim
        .fetch(`${BASE}/api/poster-sim/sim${path}`, { headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { method: "POST", body: JSON.stringify(body) }) })
        .then(async (r) => ({ status: r.status, body: (await r.json()) as Row }));
    expect((await ctl("/accounts", undefined, "not-the-secret")).status).toBe(401);
    expect((await newSim({ basePath: "/api/poster-sim" }).fetch(`${BASE}/api/poster-sim/sim/accounts`)).status).toBe(401);
    const list = await ctl("/accounts");
    // Never a token: the control API is not a way to read a live one.
    expect((list.body.accounts as Row[]).map((a) => [a.login, a.accountNumber, a.token])).toEqual([
      [CAFE.login, CAFE.accountNumber, undefined],
      [BAR.login, BAR.accountNumber, undefined],
    ]);
    expect((await ctl(`/accounts/${CAFE.login}/edit`, { op: "renameIngredient", ingredientId: 3, name: "Новое имя" })).status).toBe(200);
    expect((await ctl(`/accounts/${CAFE.login}/edit`, { op: "renameIngredient", ingredientId: 3 })).status).toBe(400);
    expect((await ctl(`/accounts/${CAFE.login}/edit`, { op: "deleteIngredient", ingredientId: 99_999 })).status).toBe(400);
    const ings = rows((await apiJson(sim, "menu.getIngredients")).body);
    expect(ings.find((i) => i.ingredient_id === "3")?.ingredient_name).toBe("Новое имя");
    await ctl(`/accounts/${CAFE.accountNumber}/faults`, { deniedMethods: ["menu.getIngredients"] });
    expect((await apiJson(sim, "menu.getIngredients")).body).toMatchObject({ error: { code: 20 } });
    await ctl(`/accounts/${CAFE.login}/token`, { action: "revoke" });
    expect((await apiJson(sim, "storage.getStorages")).body).toMatchObject({ error: { code: 11 } });
    const rotated = await ctl(`/accounts/${CAFE.login}/token`, { action: "rotate" });
    expect(rotated.body).toEqual({ tokenState: "active" });
    expect(sim.account(CAFE.login).token).not.toBe(CAFE.token);
    expect((await apiJson(sim, "storage.getStorages", {}, undefined, sim.account(CAFE.login).token)).body).toHaveProperty("response");
    const log = await ctl(`/accounts/${CAFE.login}/requests`);
    expect((log.body.requests as Row[]).map((r) => r.method)).toEqual(["menu.getIngredients", "menu.getIngredients", "storage.getStorages", "storage.getStorages"]);
    const created = await ctl("/accounts", { login: "bench-1", size: { ingredients: 50, storages: 2 } });
    expect(created.status).toBe(201);
    expect((created.body.account as Row).counts).toMatchObject({ ingredients: 50, storages: 2 });
  });

  it("node:http adapter serves real sockets and drops connections on a drop fault", async () => {
    const server = await startPosterSimulatorServer({ port: 0 });
    try {
      const ok = await fetch(`${server.url}/api/storage.getStorages?token=${CAFE.token}`);
      expect(((await ok.json()) as Row).response).toBeInstanceOf(Array);
      server.simulator.setFaults(CAFE.login, { queue: ["drop"] });
      await expect(fetch(`${server.url}/api/storage.getStorages?token=${CAFE.token}`)).rejects.toThrow(TypeError);
      const form = await fetch(`${server.url}/api/storage.createSupply?token=${CAFE.token}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "supply[date]=2026-02-12 09:00:00&supply[supplier_id]=1&supply[storage_id]=1&ingredient[0][id]=1&ingredient[0][type]=4&ingredient[0][num]=1&ingredient[0][sum]=1",
      });
      expect(await form.json()).toEqual({ success: 1, response: 1 });
    } finally {
      await server.close();
    }
  });

  it("in-process fetch rejects like undici on a dropped connection", async () => {
    const sim = newSim();
    sim.setFaults(CAFE.login, { queue: ["drop"] });
    await expect(api(sim, "storage.getStorages")).rejects.toThrow("fetch failed");
    expect(sim.requestLog(CAFE.login)).toHaveLength(1);
  });
});

describe("embedded simulator and transport", () => {
  it("keeps one simulator per process on globalThis and routes the app's client to it in-process", async () => {
    const { getEmbeddedSimulator, resetEmbeddedSimulator } = await import("@/simulator/embedded");
    const { posterTarget } = await import("@/server/poster/transport");
    const { resetEnvForTests } = await import("@/server/env");
    const saved = { api: process.env.POSTER_API_URL, hook: process.env.POSTER_SIM_WEBHOOK_URL };
    delete process.env.POSTER_API_URL;
    process.env.POSTER_SIM_WEBHOOK_URL = "off";
    resetEnvForTests();
    resetEmbeddedSimulator();
    try {
      const a = getEmbeddedSimulator();
      expect(getEmbeddedSimulator()).toBe(a);
      expect(a.basePath).toBe("/api/poster-sim");
      const target = posterTarget();
      expect(target.simulated).toBe(true);
      expect(target.baseUrl).toMatch(/\/api\/poster-sim$/);
      const res = await (target.fetch as typeof fetch)(`${target.baseUrl}/api/storage.getStorages?token=${CAFE.token}`);
      expect(((await res.json()) as Row).response).toBeInstanceOf(Array);
    } finally {
      resetEmbeddedSimulator();
      if (saved.api === undefined) delete process.env.POSTER_API_URL;
      else process.env.POSTER_API_URL = saved.api;
      if (saved.hook === undefined) delete process.env.POSTER_SIM_WEBHOOK_URL;
      else process.env.POSTER_SIM_WEBHOOK_URL = saved.hook;
      resetEnvForTests();
    }
  });
});
