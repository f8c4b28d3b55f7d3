import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import { auditLog, memberships, posterConnections, productDepartments, products, restaurants, suppliers, syncRuns, users } from "@/db/schema";
import {
  completePosterConnect, getPosterClientForRestaurant, OAUTH_STATE_COOKIE, posterCallbackUrl, posterTokenStore, PosterNotConnectedError, settleConnectionMarks,
} from "@/server/connections";
import { getKeyring } from "@/server/crypto/secrets";
import { env } from "@/server/env";
import { buildAuthorizeUrl, PosterAuthError, posterTarget } from "@/server/poster";
import { getEmbeddedSimulator } from "@/server/poster/simulator";
import { runFullSync } from "@/server/sync";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

// next-auth cannot load outside Next; the callback only asks who is signed in (nobody, here).
vi.mock("@/server/auth/session", () => ({ getCurrentUser: () => Promise.resolve(null) }));

// The embedded simulator must not post webhooks to a dev server that is not running.
process.env.POSTER_SIM_WEBHOOK_URL = "off";

const SIZE = { storages: 2, ingredients: 60, suppliers: 6 };

/** What the browser does at Poster: follow the authorize URL and read the code from the redirect. */
async function authorize(login: string): Promise<string> {
  const url = buildAuthorizeUrl({ baseUrl: posterTarget(login).publicBaseUrl, applicationId: env().POSTER_APPLICATION_ID, redirectUri: posterCallbackUrl(), account: login, state: "s" });
  const res = await getEmbeddedSimulator().fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!).searchParams.get("code")!;
}

let k = 0;
// Numbers and logins unique per run, so a reused Postgres test database still sees new accounts.
const newAccount = () => {
  const suffix = `${Date.now() % 1_000_000_000}${k++}`;
  return getEmbeddedSimulator()
    .createAccount({ login: `conn-${suffix}`, accountNumber: suffix, size: SIZE, companyName: "Кофейня на углу", currency: "KZT", timezone: "Asia/Almaty", lang: "kz" })
    .info();
};

describe(`connect Poster (${testDatabaseKind()})`, () => {
  beforeAll(openTestDatabase);
  afterAll(closeDatabase);

  it("starts OAuth with a random state in an httpOnly cookie and rejects a callback whose state does not match", async () => {
    const { GET: connect } = await import("@/app/api/poster/connect/route");
    const start = connect(new NextRequest("http://localhost:3000/api/poster/connect?account=demo-cafe"));
    expect(start.status).toBe(303);
    const location = new URL(start.headers.get("location")!);
    expect(location.pathname).toBe("/api/poster-sim/api/auth");
    expect(location.searchParams.get("redirect_uri")).toBe(posterCallbackUrl());
    const state = location.searchParams.get("state")!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const cookie = start.headers.get("set-cookie")!;
    expect(cookie).toContain(`${OAUTH_STATE_COOKIE}=${state}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);

    const { GET: callback } = await import("@/app/api/poster/callback/route");
    const before = await withPlatform("test", (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(restaurants));
    const code = await authorize("demo-cafe");
    const cases = [
      { query: `code=${code}&account=demo-cafe&state=${state}x`, cookie: `${OAUTH_STATE_COOKIE}=${state}` },
      { query: `code=${code}&account=demo-cafe&state=${state}`, cookie: "" },
      { query: `code=${code}&account=demo-cafe`, cookie: `${OAUTH_STATE_COOKIE}=${state}` },
    ];
    for (const c of cases) {
      const res = await callback(new NextRequest(`http://localhost:3000/api/poster/callback?${c.query}`, { headers: c.cookie ? { cookie: c.cookie } : {} }));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("start connecting again");
    }
    const after = await withPlatform("test", (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(restaurants));
    expect(after).toEqual(before);
  });

  it("a callback with the matching state connects the account and sends a new owner to set a password", async () => {
    const account = newAccount();
    const { GET: connect } = await import("@/app/api/poster/connect/route");
    const { GET: callback } = await import("@/app/api/poster/callback/route");
    const start = connect(new NextRequest(`http://localhost:3000/api/poster/connect?account=${account.login}`));
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const code = await authorize(account.login);
    const res = await callback(
      new NextRequest(`http://localhost:3000/api/poster/callback?code=${code}&account=${account.login}&state=${state}`, { headers: { cookie: `${OAUTH_STATE_COOKIE}=${state}` } }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}$/);
    const [restaurant] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)));
    const cookies = res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith(`rc_restaurant=${restaurant!.id}`))).toBe(true);
    expect(cookies.some((c) => c.startsWith(`${OAUTH_STATE_COOKIE}=;`))).toBe(true);
  });

  it("creates the restaurant, its owner with a setup link, an encrypted connection, and syncs it", async () => {
    const account = newAccount();
    const result = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null });
    expect(result.created).toBe(true);
    expect(result.setupUrl).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}$/);

    const [restaurant] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.id, result.restaurantId)));
    expect(restaurant).toMatchObject({ name: "Кофейня на углу", posterAccountNumber: account.accountNumber, posterAccountLogin: account.login, currency: "KZT", timezone: "Asia/Almaty", locale: "ru" });
    const [owner] = await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.id, result.userId)));
    expect(owner).toMatchObject({ email: `owner@${account.login}.example`, passwordHash: null });
    const [membership] = await withPlatform("test", (tx) => tx.select().from(memberships).where(eq(memberships.restaurantId, result.restaurantId)));
    expect(membership).toMatchObject({ userId: result.userId, role: "owner", isActive: true });

    // No plaintext token anywhere in the row; the key id is the current one.
    const raw = await withPlatform("test", async (tx) => rowsOf<Record<string, unknown>>(await tx.execute(sql`select row_to_json(c)::text as j from poster_connections c where restaurant_id = ${result.restaurantId}`)));
    const json = String(raw[0]!.j);
    expect(json).not.toContain(account.token);
    expect(json).not.toContain(account.token.split(":")[1]);
    const [connection] = await withPlatform("test", (tx) => tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, result.restaurantId)));
    expect(connection).toMatchObject({ status: "active", accountNumber: account.accountNumber, tokenKeyId: getKeyring().currentKid, connectedBy: result.userId });

    const audit = await withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.restaurantId, result.restaurantId), eq(auditLog.action, "poster.connect"))));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(account.token);
    const runs = await withTenant(result.restaurantId, (tx) => tx.select().from(syncRuns));
    expect(runs).toEqual([expect.objectContaining({ trigger: "onboarding", status: "succeeded" })]);
    const [{ n } = { n: 0 }] = await withTenant(result.restaurantId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(products));
    expect(n).toBeGreaterThan(40);
  });

  it("reconnects an existing restaurant, keeps its data and makes the signed-in user its owner", async () => {
    const account = newAccount();
    const first = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null });
    const local = await withTenant(first.restaurantId, async (tx) => {
      const [s] = await tx.select().from(suppliers).limit(1);
      await tx.update(suppliers).set({ email: "orders@local.test" }).where(eq(suppliers.id, s!.id));
      const [pd] = await tx.select().from(productDepartments).limit(1);
      await tx.update(productDepartments).set({ parLevel: "42" }).where(and(eq(productDepartments.productId, pd!.productId), eq(productDepartments.departmentId, pd!.departmentId)));
      return { supplierId: s!.id, productId: pd!.productId, departmentId: pd!.departmentId };
    });
    await withPlatform("test", (tx) => posterTokenStore.markStatus(tx, first.restaurantId, "needs_reconnect", "expired"));
    const manager = await createUser();

    const again = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: manager.id });
    expect(again).toMatchObject({ restaurantId: first.restaurantId, created: false, setupUrl: null, userId: manager.id });
    await withTenant(first.restaurantId, async (tx) => {
      const [s] = await tx.select().from(suppliers).where(eq(suppliers.id, local.supplierId));
      expect(s!.email).toBe("orders@local.test");
      const [pd] = await tx.select().from(productDepartments).where(and(eq(productDepartments.productId, local.productId), eq(productDepartments.departmentId, local.departmentId)));
      expect(pd!.parLevel).toBe("42.000");
      const owners = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.role, "owner"));
      expect(owners.map((o) => o.userId).sort()).toEqual([first.userId, manager.id].sort());
      const [c] = await tx.select().from(posterConnections);
      expect(c!.status).toBe("active");
      expect(await tx.select().from(auditLog).where(eq(auditLog.action, "poster.connect"))).toHaveLength(2);
    });
    const restaurantsForAccount = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)));
    expect(restaurantsForAccount).toHaveLength(1);
  });

  it("stores tokens bound to their restaurant: round trip, and a copied ciphertext does not open elsewhere", async () => {
    const a = await createRestaurant();
    const b = await createRestaurant();
    const token = "123456:0123456789abcdef0123456789abcdef";
    await withTenant(a.id, (tx) => posterTokenStore.save(tx, a.id, { accountNumber: "123456", accountLogin: "round-trip", token }));
    expect(await withTenant(a.id, (tx) => posterTokenStore.load(tx, a.id))).toEqual({ accountNumber: "123456", accountLogin: "round-trip", token, status: "active" });
    await withPlatform("test", async (tx) => {
      const [row] = await tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, a.id));
      await tx.insert(posterConnections).values({ restaurantId: b.id, accountNumber: "123456", accountLogin: "stolen", tokenCiphertext: row!.tokenCiphertext, tokenKeyId: row!.tokenKeyId });
    });
    await expect(withTenant(b.id, (tx) => posterTokenStore.load(tx, b.id))).rejects.toThrow(/authentication failed/);
    await withTenant(a.id, (tx) => posterTokenStore.clear(tx, a.id));
    expect(await withTenant(a.id, (tx) => posterTokenStore.load(tx, a.id))).toBeNull();
    await expect(withTenant(a.id, (tx) => getPosterClientForRestaurant(tx, a.id))).rejects.toBeInstanceOf(PosterNotConnectedError);
  });

  it("marks the connection needs_reconnect on a rejected token and stops calling Poster", async () => {
    const account = newAccount();
    const { restaurantId } = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null });
    const sim = getEmbeddedSimulator();
    sim.expireToken(account.login);
    const client = await withTenant(restaurantId, (tx) => getPosterClientForRestaurant(tx, restaurantId));
    sim.clearRequestLog(account.login);
    await expect(client.getStorages()).rejects.toBeInstanceOf(PosterAuthError);
    await expect(client.getSuppliers()).rejects.toBeInstanceOf(PosterAuthError);
    expect(sim.requestLog(account.login)).toHaveLength(1);
    await settleConnectionMarks();

    const [connection] = await withTenant(restaurantId, (tx) => tx.select().from(posterConnections));
    expect(connection).toMatchObject({ status: "needs_reconnect" });
    expect(connection!.lastError).toContain("expired");
    const audit = await withTenant(restaurantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, "poster.needs_reconnect")));
    expect(audit).toHaveLength(1);
    await expect(withTenant(restaurantId, (tx) => getPosterClientForRestaurant(tx, restaurantId))).rejects.toBeInstanceOf(PosterNotConnectedError);
    await expect(runFullSync({ restaurantId, trigger: "schedule" })).rejects.toBeInstanceOf(PosterNotConnectedError);
    expect(sim.requestLog(account.login)).toHaveLength(1);
  });

  it("shows the owner the connection and runs without the token, and disconnects with an audit entry", async () => {
    const account = newAccount();
    const { restaurantId, userId } = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null });
    const [owner] = await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.id, userId)));
    const caller = createCaller(createInnerContext({ session: { userId, sessionVersion: owner!.sessionVersion }, requestedRestaurantId: restaurantId }));
    const status = await caller.poster.status();
    expect(status.connection).toMatchObject({ status: "active", accountLogin: account.login });
    expect(status.runs).toEqual([expect.objectContaining({ trigger: "onboarding", status: "succeeded" })]);
    expect(JSON.stringify(status)).not.toContain(account.token.split(":")[1]);
    expect(JSON.stringify(status)).not.toMatch(/ciphertext|v1\./i);

    const manager = await createUser();
    await addMembership({ restaurantId, userId: manager.id, role: "manager" });
    const asManager = createCaller(createInnerContext({ session: { userId: manager.id, sessionVersion: manager.sessionVersion }, requestedRestaurantId: restaurantId }));
    await expect(asManager.poster.disconnect()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await expect(caller.poster.disconnect()).resolves.toEqual({ status: "disconnected" });
    const [connection] = await withTenant(restaurantId, (tx) => tx.select().from(posterConnections));
    expect(connection).toMatchObject({ status: "disconnected", tokenCiphertext: null, tokenKeyId: null });
    const audit = await withTenant(restaurantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, "poster.disconnect")));
    expect(audit).toEqual([expect.objectContaining({ actorUserId: userId })]);
    await expect(runFullSync({ restaurantId, trigger: "manual" })).rejects.toBeInstanceOf(PosterNotConnectedError);
    // The data stays.
    const [{ n } = { n: 0 }] = await withTenant(restaurantId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(products));
    expect(n).toBeGreaterThan(0);
  });
});
