import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { departments, jobs, posterConnections, productDepartments, products, syncRuns, webhookEvents } from "@/db/schema";
import { POST as webhookRoute } from "@/app/api/webhooks/poster/route";
import { posterTokenStore } from "@/server/connections";
import { posterApplication, resetEnvForTests } from "@/server/env";
import { ensureJobHandlers, startJobRunner, stopJobRunner } from "@/server/jobs";
import { REJECTED_LOG_LIMITS, REJECTED_PAYLOAD_CHARS } from "@/server/webhooks/poster";
import { posterVerify } from "@/server/poster";
import { getEmbeddedSimulator, resetEmbeddedSimulator, type PosterWebhookBody } from "@/simulator";
import { runFullSync } from "@/server/sync";
import { closeDatabase, createRestaurant, openTestDatabase, testDatabaseKind } from "../support/database";
import { serveRoute, waitFor } from "../support/jobs";

/** Opening the embedded database migrates and seeds it (the demo accounts are synced): slow on a busy machine. */
const OPEN_TIMEOUT_MS = 180_000;

const unique = () => Math.random().toString(36).slice(2, 8);
const SIZE = { storages: 2, ingredients: 25, suppliers: 3 };

/** A simulator account and a restaurant connected to it (token stored encrypted), fully synced once. */
async function connectedRestaurant() {
  const sim = getEmbeddedSimulator();
  const login = `wh-${unique()}`;
  const accountNumber = String(700_000_000 + Math.floor(Math.random() * 99_999_999));
  const account = sim.createAccount({ login, accountNumber, size: SIZE });
  const restaurant = await createRestaurant({ posterAccountNumber: accountNumber, posterAccountLogin: login });
  await withTenant(restaurant.id, (tx) => posterTokenStore.save(tx, restaurant.id, { accountNumber, accountLogin: login, token: account.token }));
  await runFullSync({ restaurantId: restaurant.id, trigger: "onboarding" });
  const ingredient = account.data.ingredients.find((i) => i.type !== 2 && !i.hidden && !i.deleted)!;
  return { sim, login, accountNumber, account, restaurantId: restaurant.id, ingredient };
}

const productByPosterId = (restaurantId: string, posterId: number) =>
  withTenant(restaurantId, async (tx) => (await tx.select().from(products).where(eq(products.posterIngredientId, posterId)))[0]);

const events = (restaurantId: string | null) =>
  withPlatform("test", (tx) => (restaurantId ? tx.select().from(webhookEvents).where(eq(webhookEvents.restaurantId, restaurantId)) : tx.select().from(webhookEvents)));

/** A webhook body signed like Poster signs it (or with a wrong signature). */
function signed(fields: Omit<PosterWebhookBody, "verify" | "time"> & { time?: string }, secret = posterApplication().secret): PosterWebhookBody {
  const unsignedBody = { time: String(Math.floor(Date.now() / 1000)), ...fields };
  return { ...unsignedBody, verify: posterVerify(unsignedBody, secret) };
}

const post = (body: unknown, contentType = "application/json") =>
  webhookRoute(
    new Request("http://localhost/api/webhooks/poster", {
      method: "POST",
      headers: { "content-type": contentType },
      body: contentType === "application/json" ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString(),
    }),
  );

describe(`Poster webhooks (${testDatabaseKind()})`, () => {
  const saved = { ...process.env };
  let server: Awaited<ReturnType<typeof serveRoute>>;

  beforeAll(async () => {
    // No simulator hooks to localhost:3000 until the test's own server listens; no real Poster, no QStash.
    Object.assign(process.env, { POSTER_SIM_WEBHOOK_URL: "off" });
    delete process.env.POSTER_API_URL;
    delete process.env.QSTASH_TOKEN;
    resetEnvForTests();
    resetEmbeddedSimulator();
    await openTestDatabase();
    server = await serveRoute(webhookRoute);
    getEmbeddedSimulator().webhooks.setUrl(`${server.url}/api/webhooks/poster`);
    ensureJobHandlers();
    startJobRunner({ pollMs: 200 });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await stopJobRunner();
    await server.close();
    resetEmbeddedSimulator();
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  it("shows an ingredient renamed in Poster within 5 seconds (webhook → job → targeted sync)", async () => {
    const { sim, login, restaurantId, ingredient } = await connectedRestaurant();
    const name = `Переименовано ${unique()}`;
    sim.edit(login, { op: "renameIngredient", ingredientId: ingredient.id, name });
    const { ms } = await waitFor(async () => (await productByPosterId(restaurantId, ingredient.id))?.name === name, 5_000);
    expect(ms).toBeLessThan(5_000);
    const [event] = await events(restaurantId);
    expect(event).toMatchObject({ object: "ingredient", action: "changed", objectId: String(ingredient.id), verified: true, outcome: "enqueued" });
    const runs = await withTenant(restaurantId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.scope, `ingredient:${ingredient.id}`)));
    expect(runs).toMatchObject([{ trigger: "webhook", status: "succeeded" }]);
  });

  it("applies a repeated delivery once (one event, one job, one sync run)", async () => {
    const { sim, login, restaurantId, ingredient } = await connectedRestaurant();
    sim.edit(login, { op: "renameIngredient", ingredientId: ingredient.id, name: `Twice ${unique()}` });
    await sim.webhooks.idle();
    const delivered = sim.webhooks.deliveries().findLast((d) => d.body.account === login)!;
    expect(delivered.state).toBe("delivered");
    const again = await post(delivered.body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "accept", duplicate: true });
    await waitFor(async () => {
      const rows = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.restaurantId, restaurantId)));
      return rows.length > 0 && rows.every((j) => j.status === "succeeded");
    });
    expect(await events(restaurantId)).toHaveLength(1);
    const runs = await withTenant(restaurantId, (tx) => tx.select().from(syncRuns).where(eq(syncRuns.scope, `ingredient:${ingredient.id}`)));
    expect(runs).toHaveLength(1);
  });

  it("updates one storage's stock from a stock hook, also when the hook comes form-encoded", async () => {
    const { sim, login, accountNumber, restaurantId, ingredient } = await connectedRestaurant();
    const storageId = sim.account(login).data.storages[0]!.id;
    sim.webhooks.setUrl(null);
    sim.edit(login, { op: "setStock", storageId, ingredientId: ingredient.id, quantity: "12.345" });
    sim.webhooks.setUrl(`${server.url}/api/webhooks/poster`);
    const body = signed({
      account: login,
      account_number: accountNumber,
      object: "stock",
      object_id: ingredient.id,
      action: "changed",
      data: JSON.stringify({ type: 1, element_id: ingredient.id, storage_id: storageId, value_relative: 1, value_absolute: 12.345 }),
    });
    const res = await post({ ...body, object_id: String(body.object_id) }, "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    const stock = () =>
      withTenant(restaurantId, async (tx) => {
        const [row] = await tx
          .select({ stock: productDepartments.stock })
          .from(productDepartments)
          .innerJoin(products, eq(products.id, productDepartments.productId))
          .innerJoin(departments, eq(departments.id, productDepartments.departmentId))
          .where(and(eq(products.posterIngredientId, ingredient.id), eq(departments.posterStorageId, storageId)));
        return row?.stock ?? null;
      });
    await waitFor(async () => (await stock()) === "12.345");
  });

  it("answers 401 and logs unverified hooks: bad or missing signature, mismatched account number, a replay", async () => {
    const { login, accountNumber, restaurantId, ingredient } = await connectedRestaurant();
    const good = signed({ account: login, account_number: accountNumber, object: "ingredient", object_id: ingredient.id, action: "changed" });
    const before = (await events(null)).filter((e) => !e.verified).length;
    const cases = [
      { ...good, verify: "0".repeat(32) },
      { ...good, verify: undefined },
      signed({ account: login, account_number: accountNumber, object: "ingredient", object_id: ingredient.id, action: "changed" }, "not-the-secret"),
      { ...good, account_number: "100002" },
      // A replay of a hook older than Poster's two days of retries.
      signed({ account: login, account_number: accountNumber, object: "ingredient", object_id: ingredient.id, action: "changed", time: String(Math.floor(Date.now() / 1000) - 4 * 86_400) }),
    ];
    for (const body of cases) expect((await post(body)).status).toBe(401);
    const rejected = (await events(null)).filter((e) => !e.verified);
    expect(rejected.length - before).toBe(cases.length);
    expect(rejected.map((e) => e.outcome)).toEqual(expect.arrayContaining(["invalid_signature", "unknown_account", "stale"]));
    expect(await events(restaurantId)).toHaveLength(0);
    expect((await post("not json", "text/plain")).status).toBe(400);
  });

  it("accepts a hook whose data is empty (signed with or without it) or null, and refuses a wrong signature", async () => {
    const { login, accountNumber, restaurantId, ingredient } = await connectedRestaurant();
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const secret = posterApplication().secret;
    const hook = (n: number) => ({ account: login, account_number: accountNumber, object: "ingredient", object_id: ingredient.id, action: "changed", time: String(Math.floor(Date.now() / 1000) - n) });
    const signedWith = (fields: ReturnType<typeof hook>, withData: boolean) =>
      md5([fields.account, fields.object, fields.object_id, fields.action, ...(withData ? [""] : []), fields.time, secret].join(";"));
    const a = hook(1);
    const b = hook(2);
    const c = hook(3);
    const cases = [
      { ...a, data: "", verify: signedWith(a, true) }, // Poster's PHP SDK: the empty data joins the md5
      { ...b, data: "", verify: signedWith(b, false) }, // the docs' prose: left out
      { ...c, data: null, verify: signedWith(c, false) },
    ];
    for (const body of cases) expect((await post(body)).status).toBe(200);
    const d = hook(4);
    expect((await post({ ...d, data: null, verify: signedWith(d, true) })).status).toBe(401);
    const logged = await events(restaurantId);
    expect(logged.map((e) => e.outcome).sort()).toEqual(["enqueued", "enqueued", "enqueued"]);
  });

  it("answers Poster's check (action test) with 200, and stores it only when signed (nothing before the signature is checked)", async () => {
    const count = async () => (await events(null)).length;
    const before = await count();
    // Unsigned, with a 30 KB body: answered (Poster's check may come unsigned) but not a byte stored.
    const unsigned = { account: "anyone", account_number: "1", object: "application", object_id: 1, action: "test", time: String(Math.floor(Date.now() / 1000)), data: "x".repeat(30_000) };
    for (let i = 0; i < 3; i++) expect((await post({ ...unsigned, object_id: i + 1, verify: "0".repeat(32) })).status).toBe(200);
    expect(await count()).toBe(before);

    const accountNumber = String(600_000_000 + Math.floor(Math.random() * 99_999_999));
    expect((await post(signed({ account: "anyone", account_number: accountNumber, object: "application", object_id: 1, action: "test" }))).status).toBe(200);
    const stored = (await events(null)).filter((e) => e.accountNumber === accountNumber);
    expect(stored).toMatchObject([{ outcome: "test", verified: true }]);
  });

  it("answers a signed hook for an account without a restaurant with 200 and records it once (Poster does not retry it)", async () => {
    const accountNumber = String(500_000_000 + Math.floor(Math.random() * 99_999_999));
    const hook = signed({ account: `nobody-${unique()}`, account_number: accountNumber, object: "ingredient", object_id: 1, action: "changed" });
    expect((await post(hook)).status).toBe(200);
    expect((await post(hook)).status).toBe(200);
    const recorded = (await events(null)).filter((e) => e.accountNumber === accountNumber);
    expect(recorded).toMatchObject([{ outcome: "unknown_account", verified: true, restaurantId: null }]);
  });

  it("marks the connection disconnected when the app is removed, and stores the new token when it is added again", async () => {
    const { sim, login, accountNumber, restaurantId } = await connectedRestaurant();
    sim.uninstallApp(login);
    await sim.webhooks.idle();
    const status = () => withPlatform("test", async (tx) => (await tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, restaurantId)))[0]);
    expect(await status()).toMatchObject({ status: "disconnected", tokenCiphertext: null });

    const newToken = sim.rotateToken(login);
    sim.installApp(login);
    await sim.webhooks.idle();
    expect(await status()).toMatchObject({ status: "active" });
    const stored = await withTenant(restaurantId, (tx) => posterTokenStore.load(tx, restaurantId));
    expect(stored).toMatchObject({ token: newToken, accountNumber, accountLogin: login });
    const logged = await events(restaurantId);
    expect(logged.map((e) => e.outcome).sort()).toEqual(["disconnected", "token_saved"]);
    // The admin log never holds the token.
    expect(JSON.stringify(logged)).not.toContain(newToken.split(":")[1]);
  });

  it("does not queue syncs for a connection that needs reconnecting", async () => {
    const { login, accountNumber, restaurantId, ingredient } = await connectedRestaurant();
    await withTenant(restaurantId, (tx) => posterTokenStore.markStatus(tx, restaurantId, "needs_reconnect", "expired"));
    const res = await post(signed({ account: login, account_number: accountNumber, object: "ingredient", object_id: ingredient.id, action: "changed" }));
    expect(res.status).toBe(200);
    expect(await events(restaurantId)).toMatchObject([{ outcome: "paused" }]);
    expect(await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.restaurantId, restaurantId)))).toHaveLength(0);
  });
  // Last in this file: it uses up the minute's allowance of rejected-hook rows.
  it("caps the rejected-hook log overall (rotating addresses too) and keeps only an excerpt of each body", async () => {
    Object.assign(process.env, { TRUSTED_PROXY_HOPS: "1" });
    resetEnvForTests();
    const since = new Date(Date.now() - 1000);
    const sent = REJECTED_LOG_LIMITS.overall + 20;
    for (let i = 0; i < sent; i++) {
      const body = { account: `flood-${i}`, object: "ingredient", object_id: 1, action: "changed", time: String(Math.floor(Date.now() / 1000)), verify: "0".repeat(32), data: "y".repeat(30_000) };
      const res = await webhookRoute(
        new Request("http://localhost/api/webhooks/poster", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `10.${Math.floor(i / 250)}.${i % 250}.7` },
          body: JSON.stringify(body),
        }),
      );
      expect(res.status).toBe(401);
    }
    const logged = (await events(null)).filter((e) => !e.verified && e.receivedAt >= since && String(e.payload?.excerpt ?? "").includes("flood-"));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.length).toBeLessThanOrEqual(REJECTED_LOG_LIMITS.overall);
    for (const row of logged) expect(JSON.stringify(row.payload).length).toBeLessThan(REJECTED_PAYLOAD_CHARS + 200);
    delete process.env.TRUSTED_PROXY_HOPS;
    resetEnvForTests();
  });
});
