/**
 * Scenario 4, Redis unavailable for a while: the Upstash bridge (the app's only way to Redis) is stopped for
 * SCALE_REDIS_OUTAGE_SECONDS (15 by default, 60 at 100+ restaurants) while users sign in and work and a
 * restaurant syncs from Poster. No user request fails; the limits fall back (the sign-in lockout still locks,
 * per process; Poster calls stay within POSTER_CALLS_PER_SECOND); when the bridge is back at the same URL the app
 * uses Redis again without a restart (the lockout counts reach Redis again).
 */
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { users } from "@/db/schema";
import { checkCredentials, SIGN_IN_LIMITS } from "@/server/auth/sign-in";
import { hashPassword } from "@/server/auth/password";
import { env, resetEnvForTests } from "@/server/env";
import type { PosterSimulatorServer } from "@/simulator";
import { runFullSync } from "@/server/sync";
import { closeDatabase } from "@/tests/support/database";
import { startUpstashBridge, type UpstashBridge } from "@/tests/support/upstash-bridge";
import { openScale, percentile, recordScale, round, SCALE_RESTAURANTS, scaleDatabaseUrl, startScaleSimulator } from "./fixture";
import { loadScaleUsers, userRound, type ScaleUser } from "./users";

const BRIDGE_PORT = Number(process.env.SCALE_BRIDGE_PORT ?? "3272");
const OUTAGE_S = Number(process.env.SCALE_REDIS_OUTAGE_SECONDS ?? (SCALE_RESTAURANTS >= 100 ? "60" : "15"));
const PASSWORD = "scale-outage-password-9137";
const run = Date.now().toString(36);

interface Phase {
  requests: number;
  failures: string[];
  latenciesMs: number[];
  lockoutHeld: boolean;
  probeEmail: string;
}

describe.skipIf(!scaleDatabaseUrl())("scale: Redis unavailable for a while", () => {
  const saved = { ...process.env };
  let bridge: UpstashBridge;
  let sim: PosterSimulatorServer;
  let people: ScaleUser[];
  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisUrl, port: BRIDGE_PORT, token: `scale-${run}` });
    Object.assign(process.env, { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token });
    resetEnvForTests();
    const all = await openScale();
    sim = await startScaleSimulator();
    people = await loadScaleUsers(all.slice(0, Math.min(20, all.length)));
    const hash = await hashPassword(PASSWORD);
    await withPlatform("test", (tx) => tx.update(users).set({ passwordHash: hash }).where(inArray(users.id, people.map((p) => p.staff.id))));
  });

  afterAll(async () => {
    await sim?.close();
    await bridge?.close().catch(() => undefined);
    process.env = saved;
    resetEnvForTests();
    await closeDatabase();
  });

  /** Every user signs in (own address) and works one round; one (e-mail, address) pair is hammered to its limit. */
  async function phase(label: string, n: number): Promise<Phase> {
    const failures: string[] = [];
    const latenciesMs: number[] = [];
    let requests = 0;
    await Promise.all(
      people.map(async (u, i) => {
        const t0 = performance.now();
        const signIn = await checkCredentials({ email: u.staff.email, password: PASSWORD }, `10.16.${n}.${i + 1}`).catch((e: Error) => ({ ok: false as const, reason: e.message }));
        requests++;
        if (!signIn.ok) failures.push(`${label} sign-in ${u.staff.email}: ${signIn.reason}`);
        else latenciesMs.push(performance.now() - t0);
        const work = await userRound(u, n);
        requests += work.failures.length + work.latenciesMs.length;
        failures.push(...work.failures.map((f) => `${label} ${f}`));
        latenciesMs.push(...work.latenciesMs);
      }),
    );
    // The lockout: limit wrong passwords for one pair, then the right one is refused ("rateLimited").
    const probeEmail = `scale-probe-${run}-${label}@bench.test`;
    // A fresh address too: the address limit (20 per 15 minutes) must not be what refuses.
    const probeIp = `10.${100 + (Date.now() % 150)}.${n}.250`;
    for (let i = 0; i < SIGN_IN_LIMITS.emailAtAddress.limit; i++) await checkCredentials({ email: probeEmail, password: "wrong-password-123" }, probeIp);
    const locked = await checkCredentials({ email: probeEmail, password: "wrong-password-123" }, probeIp);
    return { requests, failures, latenciesMs, lockoutHeld: !locked.ok && locked.reason === "rateLimited", probeEmail };
  }

  const probeKeys = async (email: string) => (await bridge.redis.keys(`*${email}*`)).length;

  /** The busiest second of one account's Poster calls since `from`. */
  function busiestSecond(login: string, from: number): number {
    const calls = sim.simulator.requestLog(login).map((r) => r.at).filter((t) => t >= from).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < calls.length; i++) {
      while (j < calls.length && calls[j]! < calls[i]! + 1000) j++;
      most = Math.max(most, j - i);
    }
    return most;
  }

  it("no failed user request, limits fall back while it is down, Redis used again once it is back", async () => {
    const syncing = people[0]!.restaurant;
    const before = await phase("up", 0);
    expect(before.failures).toEqual([]);
    expect(before.lockoutHeld).toBe(true);
    expect(await probeKeys(before.probeEmail)).toBeGreaterThan(0);

    // Down: the bridge stops (connections refused), for the whole outage users keep working and a sync runs.
    await bridge.close();
    const downFrom = Date.now();
    const down: Phase[] = [];
    const syncDuringOutage = runFullSync({ restaurantId: syncing.id, trigger: "manual" }).then((r) => r.status, (e: Error) => `failed: ${e.message}`);
    let n = 1;
    while (Date.now() - downFrom < OUTAGE_S * 1000) down.push(await phase(`down${n}`, n++));
    const syncStatus = await syncDuringOutage;
    const downSeconds = (Date.now() - downFrom) / 1000;
    const busiest = busiestSecond(syncing.login, downFrom);

    // Back at the same URL, same process: after the limiter's cool-down it goes to Redis again.
    bridge = await startUpstashBridge({ redisUrl, port: BRIDGE_PORT, token: `scale-${run}` });
    await new Promise((r) => setTimeout(r, 5_500));
    const after = await phase("back", n + 1);

    const downFailures = down.flatMap((p) => p.failures);
    const figures = {
      outage_seconds: round(downSeconds),
      users: people.length,
      requests_up: before.requests,
      requests_down: down.reduce((s, p) => s + p.requests, 0),
      requests_back: after.requests,
      failed_requests: before.failures.length + downFailures.length + after.failures.length,
      request_ms_p95_up: round(percentile(before.latenciesMs, 95)),
      request_ms_p95_down: round(percentile(down.flatMap((p) => p.latenciesMs), 95)),
      request_ms_p95_back: round(percentile(after.latenciesMs, 95)),
      lockout_held_down: down.every((p) => p.lockoutHeld),
      sync_during_outage: syncStatus,
      poster_calls_busiest_second_down: busiest,
      poster_calls_per_second_limit: env().POSTER_CALLS_PER_SECOND,
      redis_used_again: (await probeKeys(after.probeEmail)) > 0,
    };
    recordScale("redis_outage", figures);
    console.log("scale redis outage:", figures);

    expect(downFailures.slice(0, 5)).toEqual([]);
    expect(after.failures).toEqual([]);
    expect(down.length).toBeGreaterThan(0);
    // Fallback: the lockout still holds (in memory) and the outage's counts never reached Redis.
    expect(figures.lockout_held_down).toBe(true);
    for (const p of down) expect(await probeKeys(p.probeEmail)).toBe(0);
    expect(syncStatus).toBe("succeeded");
    expect(busiest).toBeLessThanOrEqual(env().POSTER_CALLS_PER_SECOND);
    // Recovery without a restart.
    expect(after.lockoutHeld).toBe(true);
    expect(figures.redis_used_again).toBe(true);
  });
});
