import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import { auditLog, mailOutbox, memberships, posterConnections, productDepartments, products, restaurants, suppliers, syncRuns, users } from "@/db/schema";
import {
  completePosterConnect, getPosterClientForRestaurant, OAUTH_STATE_COOKIE, posterCallbackUrl, posterTokenStore, PosterNotConnectedError, settleConnectionMarks,
} from "@/server/connections";
import { hashPassword } from "@/server/auth/password";
import { getKeyring } from "@/server/crypto/secrets";
import { posterApplication } from "@/server/env";
import { buildAuthorizeUrl, PosterAuthError, posterTarget } from "@/server/poster";
import { getEmbeddedSimulator } from "@/simulator";
import { runFullSync } from "@/server/sync";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { sessionOf } from "../support/tenant-fixture";

// next-auth cannot load outside Next; the callback only asks who is signed in (nobody, here).
vi.mock("@/server/auth/session", () => ({ getCurrentUser: () => Promise.resolve(null) }));

// The embedded simulator must not post webhooks to a dev server that is not running.
process.env.POSTER_SIM_WEBHOOK_URL = "off";

const SIZE = { storages: 2, ingredients: 60, suppliers: 6 };

/** What the browser does at Poster: follow the authorize URL and read the code from the redirect. */
async function authorize(login: string): Promise<string> {
  const url = buildAuthorizeUrl({ baseUrl: posterTarget(login).publicBaseUrl, applicationId: posterApplication().id, redirectUri: posterCallbackUrl(), account: login, state: "s" });
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

/** /api/poster/connect as the browser calls it: the state in Poster's URL and the flow cookie it was given. */
async function startConnect(login?: string): Promise<{ state: string; location: URL; cookie: string }> {
  const { GET: connect } = await import("@/app/api/poster/connect/route");
  const start = connect(new NextRequest(`http://localhost:3000/api/poster/connect${login ? `?account=${login}` : ""}`));
  const location = new URL(start.headers.get("location")!);
  const value = start.cookies.get(OAUTH_STATE_COOKIE)!.value;
  return { state: location.searchParams.get("state")!, location, cookie: `${OAUTH_STATE_COOKIE}=${value}` };
}

/** Poster's redirect back to us, as the browser follows it (with whatever query Poster gave). */
async function callbackWith(query: string, cookie: string | null): Promise<Response> {
  const { GET: callback } = await import("@/app/api/poster/callback/route");
  return callback(new NextRequest(`http://localhost:3000/api/poster/callback?${query}`, { headers: cookie ? { cookie } : {} }));
}

/** Runs the browser's whole round trip: /api/poster/connect → Poster's authorize page → our callback. */
async function connectInBrowser(login: string): Promise<Response> {
  const { location, cookie } = await startConnect(login);
  const atPoster = await getEmbeddedSimulator().fetch(location, { redirect: "manual" });
  expect(atPoster.status).toBe(302);
  // Exactly what Poster put in the redirect: with or without `state`.
  return callbackWith(new URL(atPoster.headers.get("location")!).search.slice(1), cookie);
}

// In the order they were written: without it, rows inserted by concurrent connections may come back in any order.
const mailTo = (to: string) => withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(mailOutbox.createdAt));
const refusals = (accountNumber: string) =>
  withPlatform("test", (tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "poster.connect_refused"), sql`${auditLog.data}->>'accountNumber' = ${accountNumber}`)));

function connected(result: Awaited<ReturnType<typeof completePosterConnect>>) {
  if (!result.ok) throw new Error(`connect refused: ${result.reason}`);
  return result;
}

describe(`connect Poster (${testDatabaseKind()})`, () => {
  beforeAll(openTestDatabase);
  afterAll(closeDatabase);

  it("starts OAuth with a random state in a signed httpOnly cookie and rejects a callback whose state does not match", async () => {
    const { GET: connect } = await import("@/app/api/poster/connect/route");
    const start = connect(new NextRequest("http://localhost:3000/api/poster/connect?account=demo-cafe"));
    expect(start.status).toBe(303);
    const location = new URL(start.headers.get("location")!);
    expect(location.searchParams.get("redirect_uri")).toBe(posterCallbackUrl());
    const state = location.searchParams.get("state")!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const setCookie = start.headers.get("set-cookie")!;
    // The state, when it was issued and the account chosen, signed.
    expect(setCookie).toMatch(new RegExp(`${OAUTH_STATE_COOKIE}=${state}\\.\\d+\\.demo-cafe\\.[A-Za-z0-9_-]{43}`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).toMatch(/Max-Age=600/i);
    const cookie = `${OAUTH_STATE_COOKIE}=${start.cookies.get(OAUTH_STATE_COOKIE)!.value}`;

    const before = await withPlatform("test", (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(restaurants));
    const code = await authorize("demo-cafe");
    const cases = [
      { query: `code=${code}&account=demo-cafe&state=${state}x`, cookie },
      { query: `code=${code}&account=demo-cafe&state=${state}`, cookie: null },
      { query: `code=${code}&account=demo-cafe`, cookie: null },
      // A cookie whose state (or anything else) was edited no longer carries our signature.
      { query: `code=${code}&account=demo-cafe&state=x${state.slice(1)}`, cookie: cookie.replace(`=${state}`, `=x${state.slice(1)}`) },
    ];
    for (const c of cases) {
      const res = await callbackWith(c.query, c.cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("start connecting again");
    }
    const after = await withPlatform("test", (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(restaurants));
    expect(after).toEqual(before);
  });

  it("connects when Poster does not echo state, bound to this browser's fresh cookie and the account it chose", async () => {
    const sim = getEmbeddedSimulator();
    const account = newAccount();
    sim.setFaults(account.login, { oauthDropsState: true });
    // The simulator knob: Poster's redirect carries code and account only.
    const { location } = await startConnect(account.login);
    const redirect = new URL((await sim.fetch(location, { redirect: "manual" })).headers.get("location")!);
    expect([...redirect.searchParams.keys()].sort()).toEqual(["account", "code"]);

    const res = await connectInBrowser(account.login);
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location")!).searchParams.get("connected")).toBe("setup");
    const [restaurant] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)));
    expect(restaurant).toBeDefined();
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${OAUTH_STATE_COOKIE}=;`))).toBe(true);
  });

  it("calls only the account's own host: the authorize page, the connect, the first sync and later syncs", async () => {
    const sim = getEmbeddedSimulator();
    const account = newAccount();
    const { location } = await startConnect(account.login);
    expect(location.pathname).toBe(`/api/poster-sim/${account.login}/api/auth`);
    expect(location.searchParams.has("account")).toBe(false);
    sim.clearRequestLog(account.login);
    expect((await connectInBrowser(account.login)).status).toBe(303);
    const [restaurant] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)));
    const client = await withTenant(restaurant!.id, (tx) => getPosterClientForRestaurant(tx, restaurant!.id));
    await runFullSync({ restaurantId: restaurant!.id, trigger: "manual", client });
    const log = sim.requestLog(account.login);
    expect(log.length).toBeGreaterThan(10);
    expect(new Set(log.map((e) => e.host))).toEqual(new Set([account.login]));
    expect(log.every((e) => e.errorCode === null)).toBe(true);
  });

  it("without state, refuses a callback with no cookie, a stale cookie, or another account than the one chosen", async () => {
    const sim = getEmbeddedSimulator();
    const chosen = newAccount();
    const other = newAccount();
    sim.setFaults(other.login, { oauthDropsState: true });
    const codeFor = async (login: string) => {
      const { location } = await startConnect(login);
      return new URL((await sim.fetch(location, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
    };

    // A link someone else made: no flow was started in this browser.
    const forged = await callbackWith(`code=${await codeFor(other.login)}&account=${other.login}`, null);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("start connecting again");

    // The browser chose one account, Poster came back with another.
    const { cookie } = await startConnect(chosen.login);
    const mismatch = await callbackWith(`code=${await codeFor(other.login)}&account=${other.login}`, cookie);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("a different account");

    // A cookie older than its 10 minutes (its issue time is signed, so only the clock can age it).
    vi.useFakeTimers({ toFake: ["Date"] });
    let stale: string;
    try {
      vi.setSystemTime(Date.now() - 11 * 60_000);
      stale = (await startConnect(other.login)).cookie;
    } finally {
      vi.useRealTimers();
    }
    const late = await callbackWith(`code=${await codeFor(other.login)}&account=${other.login}`, stale);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain("start connecting again");

    // Nothing was connected by any of them.
    const rows = await withPlatform("test", (tx) => tx.select().from(restaurants).where(sql`${restaurants.posterAccountNumber} in (${chosen.accountNumber}, ${other.accountNumber})`));
    expect(rows).toEqual([]);
  });

  it("a callback with the matching state connects the account and e-mails a new owner a setup link, never putting it in the redirect", async () => {
    const account = newAccount();
    const res = await connectInBrowser(account.login);
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(new URL(location).pathname).toBe("/sign-in");
    expect(new URL(location).searchParams.get("connected")).toBe("setup");
    expect(location).not.toMatch(/reset-password/);
    const [restaurant] = await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)));
    const cookies = res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith(`rc_restaurant=${restaurant!.id}`))).toBe(true);
    expect(cookies.some((c) => c.startsWith(`${OAUTH_STATE_COOKIE}=;`))).toBe(true);
    const mail = await mailTo(`owner@${account.login}.example`);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}/);
  });

  it("refuses a Poster employee who is not the account owner: a clear page, no restaurant, an audit entry", async () => {
    const account = newAccount();
    getEmbeddedSimulator().account(account.login).oauthUser = { id: 77, name: "Cashier", email: "cashier@example.com", roleId: 2 };
    const res = await connectInBrowser(account.login);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Only the owner of the Poster account can connect it");
    expect(await withPlatform("test", (tx) => tx.select().from(restaurants).where(eq(restaurants.posterAccountNumber, account.accountNumber)))).toEqual([]);
    expect(await withPlatform("test", (tx) => tx.select().from(users).where(eq(users.email, "cashier@example.com")))).toEqual([]);
    expect(await refusals(account.accountNumber)).toEqual([expect.objectContaining({ restaurantId: null, data: expect.objectContaining({ reason: "not_account_owner", posterRoleId: 2 }) })]);
  });

  it("never hands a connected restaurant to someone else: anonymous and signed-in non-owners are refused, audited, and the owners told", async () => {
    const account = newAccount();
    const first = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
    const ownerEmail = `owner@${account.login}.example`;
    const manager = await createUser();
    await addMembership({ restaurantId: first.restaurantId, userId: manager.id, role: "manager" });
    const stranger = await createUser();
    const before = await withPlatform("test", async (tx) => ({
      members: await tx.select().from(memberships).where(eq(memberships.restaurantId, first.restaurantId)),
      connection: await tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, first.restaurantId)),
    }));
    const mailsBefore = (await mailTo(ownerEmail)).length;

    // Anonymous: through the browser round trip.
    const anonymous = await connectInBrowser(account.login);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain("already connected to a restaurant");

    // Signed in, but only a manager of it, and a stranger.
    for (const user of [manager, stranger]) {
      const result = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: user.id });
      expect(result).toEqual({ ok: false, reason: "connected_elsewhere" });
    }

    const after = await withPlatform("test", async (tx) => ({
      members: await tx.select().from(memberships).where(eq(memberships.restaurantId, first.restaurantId)),
      connection: await tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, first.restaurantId)),
    }));
    expect(after).toEqual(before);
    const audit = await refusals(account.accountNumber);
    expect(audit.map((a) => [a.restaurantId, a.actorUserId])).toEqual(expect.arrayContaining([[first.restaurantId, null], [first.restaurantId, manager.id], [first.restaurantId, stranger.id]]));
    const told = (await mailTo(ownerEmail)).slice(mailsBefore);
    expect(told).toHaveLength(3);
    expect(told.every((m) => /tried to reconnect Poster|пытался переподключить Poster/.test(m.subject))).toBe(true);
    expect(JSON.stringify(told)).not.toContain(account.token);
  });

  it("an owner with an account who was not signed in is told by e-mail to sign in; no setup link exists", async () => {
    const existing = await createUser({ passwordHash: await hashPassword("an existing owner's password") });
    const account = newAccount();
    getEmbeddedSimulator().account(account.login).oauthUser = { id: 5, name: "Owner", email: existing.email, roleId: 3 };
    const result = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
    expect(result).toMatchObject({ created: true, userId: existing.id, ownerMail: "notice" });
    const mail = await mailTo(existing.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).not.toMatch(/reset-password/);
    expect(mail[0]!.text).toContain("/sign-in");
  });

  it("creates the restaurant, its owner with a setup link, an encrypted connection, and syncs it", async () => {
    const account = newAccount();
    const result = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
    expect(result).toMatchObject({ created: true, ownerMail: "setup" });

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

  it("reconnects an existing restaurant for its signed-in owner and keeps its data", async () => {
    const account = newAccount();
    const first = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
    const local = await withTenant(first.restaurantId, async (tx) => {
      const [s] = await tx.select().from(suppliers).limit(1);
      await tx.update(suppliers).set({ email: "orders@local.test" }).where(eq(suppliers.id, s!.id));
      const [pd] = await tx.select().from(productDepartments).limit(1);
      await tx.update(productDepartments).set({ parLevel: "42" }).where(and(eq(productDepartments.productId, pd!.productId), eq(productDepartments.departmentId, pd!.departmentId)));
      return { supplierId: s!.id, productId: pd!.productId, departmentId: pd!.departmentId };
    });
    await withPlatform("test", (tx) => posterTokenStore.markStatus(tx, first.restaurantId, "needs_reconnect", "expired"));
    const again = await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: first.userId });
    expect(again).toMatchObject({ ok: true, restaurantId: first.restaurantId, created: false, ownerMail: null, userId: first.userId });
    await withTenant(first.restaurantId, async (tx) => {
      const [s] = await tx.select().from(suppliers).where(eq(suppliers.id, local.supplierId));
      expect(s!.email).toBe("orders@local.test");
      const [pd] = await tx.select().from(productDepartments).where(and(eq(productDepartments.productId, local.productId), eq(productDepartments.departmentId, local.departmentId)));
      expect(pd!.parLevel).toBe("42.000");
      const owners = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.role, "owner"));
      expect(owners.map((o) => o.userId)).toEqual([first.userId]);
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
    const { restaurantId } = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
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
    const { restaurantId, userId } = connected(await completePosterConnect({ code: await authorize(account.login), accountLogin: account.login, signedInUserId: null }));
    const caller = createCaller(createInnerContext({ session: await sessionOf(userId), requestedRestaurantId: restaurantId }));
    const status = await caller.poster.status();
    expect(status.connection).toMatchObject({ status: "active", accountLogin: account.login });
    expect(status.runs).toEqual([expect.objectContaining({ trigger: "onboarding", status: "succeeded" })]);
    expect(JSON.stringify(status)).not.toContain(account.token.split(":")[1]);
    expect(JSON.stringify(status)).not.toMatch(/ciphertext|v1\./i);

    const manager = await createUser();
    await addMembership({ restaurantId, userId: manager.id, role: "manager" });
    const asManager = createCaller(createInnerContext({ session: { userId: manager.id, sessionVersion: manager.sessionVersion, sessionId: manager.sessionId }, requestedRestaurantId: restaurantId }));
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
