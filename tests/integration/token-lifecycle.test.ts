import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { jobs, mailOutbox, posterConnections } from "@/db/schema";
import { posterTokenStore } from "@/server/connections";
import { resetEnvForTests } from "@/server/env";
import { ensureJobHandlers, JobRunner } from "@/server/jobs";
import { DISPATCH_SLOTS, DISPATCH_TICK_MS, dispatchSyncs, loadDispatchCandidates, planDispatch, scheduledSyncKey, SYNC_PERIOD_MS } from "@/server/jobs/dispatcher";
import { checkAllConnections, checkConnection, TOKEN_LIFETIME_MS } from "@/server/jobs/tokens";
import { getEmbeddedSimulator, resetEmbeddedSimulator } from "@/simulator";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

/** Opening the embedded database migrates and seeds it (the demo accounts are synced): slow on a busy machine. */
const OPEN_TIMEOUT_MS = 180_000;

const unique = () => Math.random().toString(36).slice(2, 8);

async function connectedRestaurant() {
  const sim = getEmbeddedSimulator();
  const login = `tk-${unique()}`;
  const accountNumber = String(800_000_000 + Math.floor(Math.random() * 99_999_999));
  const account = sim.createAccount({ login, accountNumber, size: { storages: 1, ingredients: 5, suppliers: 1 } });
  const restaurant = await createRestaurant({ posterAccountNumber: accountNumber, posterAccountLogin: login, locale: "en" });
  await withTenant(restaurant.id, (tx) => posterTokenStore.save(tx, restaurant.id, { accountNumber, accountLogin: login, token: account.token }));
  const owner = await createUser({ email: `owner-${unique()}@test.local` });
  const manager = await createUser();
  await addMembership({ restaurantId: restaurant.id, userId: owner.id, role: "owner" });
  await addMembership({ restaurantId: restaurant.id, userId: manager.id, role: "manager" });
  return { sim, login, accountNumber, restaurantId: restaurant.id, owner, manager };
}

const connection = (restaurantId: string) =>
  withPlatform("test", async (tx) => (await tx.select().from(posterConnections).where(eq(posterConnections.restaurantId, restaurantId)))[0]!);
const mailTo = (email: string) => withPlatform("test", (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.to, email)));
const caller = (user: { id: string; sessionVersion: number; sessionId: string }, restaurantId: string) =>
  createCaller(createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId }, requestedRestaurantId: restaurantId }));

/** The ticks of the current period whose own slot starts this restaurant (a tick also catches up the slot before). */
async function ticksStarting(restaurantId: string): Promise<Date[]> {
  const candidates = await loadDispatchCandidates();
  const periodStart = Math.floor(Date.now() / SYNC_PERIOD_MS) * SYNC_PERIOD_MS;
  const ticks: Date[] = [];
  for (let i = 0; i < DISPATCH_SLOTS; i++) {
    const at = new Date(periodStart + i * DISPATCH_TICK_MS);
    if (planDispatch(candidates, at).some((p) => p.restaurantId === restaurantId && p.slot === i && p.periodIndex === periodStart / SYNC_PERIOD_MS)) ticks.push(at);
  }
  return ticks;
}

describe(`Poster token lifecycle (${testDatabaseKind()})`, () => {
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, { POSTER_SIM_WEBHOOK_URL: "off", APP_URL: "https://checklist.example.com" });
    delete process.env.POSTER_API_URL;
    delete process.env.QSTASH_TOKEN;
    resetEnvForTests();
    resetEmbeddedSimulator();
    await openTestDatabase();
    ensureJobHandlers();
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    resetEmbeddedSimulator();
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  it("an expired token: needs reconnect, one e-mail to the owners, scheduled syncs paused; reconnecting resumes them", async () => {
    const { sim, login, accountNumber, restaurantId, owner, manager } = await connectedRestaurant();
    expect(await ticksStarting(restaurantId)).toHaveLength(1);

    sim.expireToken(login);
    expect(await checkConnection(restaurantId)).toBe("needs_reconnect");
    expect(await connection(restaurantId)).toMatchObject({ status: "needs_reconnect", lastError: expect.stringContaining("code 12") });
    await new JobRunner({ pollMs: 10 }).idle();
    const mails = await mailTo(owner.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("reconnect Poster");
    expect(mails[0]!.text).toContain(`https://checklist.example.com/api/poster/connect?account=${login}`);
    expect(await mailTo(manager.email)).toHaveLength(0);

    // Paused: no tick of the period starts it, and a dispatcher run at its slot skips it.
    expect(await ticksStarting(restaurantId)).toHaveLength(0);
    // The daily check again: no second call to Poster's broken token, no second e-mail.
    sim.clearRequestLog(login);
    await checkAllConnections({ scheduledAt: new Date().toISOString() });
    await new JobRunner({ pollMs: 10 }).idle();
    expect(sim.requestLog(login)).toHaveLength(0);
    expect(await mailTo(owner.email)).toHaveLength(1);

    // The owner sees it and cannot sync until reconnecting.
    expect(await caller(owner, restaurantId).jobs.connection()).toMatchObject({ status: "needs_reconnect", canReconnect: true });
    expect(await caller(manager, restaurantId).jobs.connection()).toMatchObject({ status: "needs_reconnect", canReconnect: false });
    await expect(caller(owner, restaurantId).jobs.syncNow()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    // Reconnect (the OAuth callback stores the new token): active, and the dispatcher starts it at its slot.
    const fresh = sim.rotateToken(login);
    await withTenant(restaurantId, (tx) => posterTokenStore.save(tx, restaurantId, { accountNumber, accountLogin: login, token: fresh }));
    const [tick] = await ticksStarting(restaurantId);
    expect(tick).toBeDefined();
    await dispatchSyncs(tick!);
    const period = Math.floor(tick!.getTime() / SYNC_PERIOD_MS);
    const [job] = await withPlatform("test", (tx) => tx.select().from(jobs).where(eq(jobs.dedupKey, scheduledSyncKey(restaurantId, period))));
    expect(job).toMatchObject({ kind: "sync.full", restaurantId, payload: { trigger: "schedule" } });
    expect(await checkConnection(restaurantId)).toBe("ok");
  });

  it("a revoked token (code 11) also needs reconnecting", async () => {
    const { sim, login, restaurantId } = await connectedRestaurant();
    sim.rotateToken(login);
    expect(await checkConnection(restaurantId)).toBe("needs_reconnect");
    expect((await connection(restaurantId)).lastError).toContain("code 11");
  });

  it("a token near the end of its two years: expiring, e-mailed once, still synced", async () => {
    const { restaurantId, owner } = await connectedRestaurant();
    await withPlatform("test", (tx) =>
      tx.update(posterConnections).set({ connectedAt: new Date(Date.now() - TOKEN_LIFETIME_MS + 10 * 86_400_000) }).where(eq(posterConnections.restaurantId, restaurantId)),
    );
    expect(await checkConnection(restaurantId)).toBe("expiring");
    expect(await checkConnection(restaurantId)).toBe("expiring");
    await new JobRunner({ pollMs: 10 }).idle();
    expect(await connection(restaurantId)).toMatchObject({ status: "expiring", lastError: null });
    const mails = await mailTo(owner.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("expires soon");
    expect(await ticksStarting(restaurantId)).toHaveLength(1);
  });

  it("Sync now returns a job at once, a second click joins it, and the job is readable by its restaurant only", async () => {
    const { restaurantId, owner, manager } = await connectedRestaurant();
    const first = await caller(manager, restaurantId).jobs.syncNow();
    const second = await caller(owner, restaurantId).jobs.syncNow();
    expect(first.joined).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, joined: true });
    expect(await caller(owner, restaurantId).jobs.get({ jobId: first.jobId })).toMatchObject({ kind: "sync.full", status: "queued" });
    await new JobRunner({ pollMs: 10 }).idle(20_000);
    const done = await caller(owner, restaurantId).jobs.get({ jobId: first.jobId });
    expect(done).toMatchObject({ status: "succeeded", progress: { done: expect.any(Number), total: expect.any(Number) } });
    expect(done.progress!.done).toBe(done.progress!.total);
    expect((await caller(owner, restaurantId).jobs.recent()).map((j) => j.id)).toContain(first.jobId);
    // After it finished, a new click starts a new sync.
    expect((await caller(owner, restaurantId).jobs.syncNow()).jobId).not.toBe(first.jobId);

    const other = await connectedRestaurant();
    await expect(caller(other.owner, other.restaurantId).jobs.get({ jobId: first.jobId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
