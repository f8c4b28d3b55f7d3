import { and, eq, gt, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incidents, jobs, mailOutbox, metricRollups, syncRuns } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { evaluateAlerts } from "@/server/admin/alerts";
import { encryptedPosterTokenStore } from "@/server/connections/token-store";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe(`alerts on a fake clock (${testDatabaseKind()})`, () => {
  let admin: { id: string; email: string; sessionVersion: number; sessionId: string };
  let restaurant: { id: string; name: string };
  // The fake clock: every check is told the time; nothing in the rules reads the real one.
  const t0 = new Date(Date.now() + 3 * 86_400_000);

  const mailsAbout = async (text: string) =>
    withPlatform("test", (tx) => tx.select().from(mailOutbox).where(and(eq(mailOutbox.to, admin.email), like(mailOutbox.subject, `%${text}%`))));
  const openIncident = async (rule: string, subject: string) =>
    (await withPlatform("test", (tx) => tx.select().from(incidents).where(and(eq(incidents.rule, rule), eq(incidents.subject, subject), isNull(incidents.resolvedAt)))))[0];

  beforeAll(async () => {
    await openTestDatabase();
    admin = await createUser({ isPlatformAdmin: true, locale: "en" });
    restaurant = await createRestaurant({ name: `Alert Bistro ${Date.now().toString(36)}`, createdAt: new Date(t0.getTime() - 10 * 86_400_000) });
    await withTenant(restaurant.id, async (tx) => {
      await encryptedPosterTokenStore.save(tx, restaurant.id, { accountNumber: "779001", accountLogin: "alerts-test", token: "779001:0123456789abcdef0123456789abcdef" });
      await tx.insert(syncRuns).values({ restaurantId: restaurant.id, trigger: "schedule", status: "succeeded", startedAt: new Date(t0.getTime() - 23 * HOUR), finishedAt: new Date(t0.getTime() - 23 * HOUR + 30_000) });
    });
  }, 180_000);
  afterAll(closeDatabase);

  it("a restaurant not synced for 24 h: one e-mail when it breaches, none while it lasts, one when it recovers", async () => {
    await evaluateAlerts(t0);
    expect(await openIncident("stale_sync", restaurant.id)).toBeUndefined();
    expect(await mailsAbout(restaurant.name)).toHaveLength(0);

    const t1 = new Date(t0.getTime() + 2 * HOUR);
    await evaluateAlerts(t1);
    expect(await openIncident("stale_sync", restaurant.id)).toMatchObject({ openedAt: t1, details: { restaurantName: restaurant.name } });
    const opened = await mailsAbout(restaurant.name);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.subject).toMatch(/^\[Restaurant Checklist\] Alert: /);

    // Still breached five and ten minutes later: no more mail.
    await evaluateAlerts(new Date(t1.getTime() + 5 * MINUTE));
    await evaluateAlerts(new Date(t1.getTime() + 10 * MINUTE));
    expect(await mailsAbout(restaurant.name)).toHaveLength(1);
    // The overview shows it as open.
    const overview = await createCaller(createInnerContext({ session: { userId: admin.id, sessionVersion: admin.sessionVersion, sessionId: admin.sessionId } })).admin.overview();
    expect(overview.incidents.open.some((i) => i.rule === "stale_sync" && i.subject === restaurant.id)).toBe(true);

    const t2 = new Date(t1.getTime() + 15 * MINUTE);
    await withTenant(restaurant.id, (tx) => tx.insert(syncRuns).values({ restaurantId: restaurant.id, trigger: "manual", status: "succeeded", startedAt: t2, finishedAt: t2 }));
    await evaluateAlerts(new Date(t2.getTime() + 5 * MINUTE));
    expect(await openIncident("stale_sync", restaurant.id)).toBeUndefined();
    const all = await mailsAbout(restaurant.name);
    expect(all).toHaveLength(2);
    expect(all.map((m) => m.subject.split(":")[0]).sort()).toEqual(["[Restaurant Checklist] Alert", "[Restaurant Checklist] Recovered"]);
    await evaluateAlerts(new Date(t2.getTime() + 10 * MINUTE));
    expect(await mailsAbout(restaurant.name)).toHaveLength(2);
  });

  it("Poster errors over the goal for 15 minutes open one incident; a short burst does not", async () => {
    const at = new Date(t0.getTime() + 6 * HOUR);
    const minute = (k: number) => new Date(Math.floor(at.getTime() / MINUTE) * MINUTE - k * MINUTE);
    const row = (k: number, count: number, errors: number) => ({ minute: minute(k), kind: "poster", name: "storage.getStorages", count, errors, sumMs: count * 100, maxMs: 200, p50Ms: 100, p95Ms: 150, p99Ms: 190, buckets: {} });
    // Rows and incidents an earlier run left in the future of the clock (a reused database) are not this test's.
    await withPlatform("test", async (tx) => {
      await tx.delete(metricRollups).where(and(eq(metricRollups.kind, "poster"), gt(metricRollups.minute, new Date())));
      await tx.update(incidents).set({ resolvedAt: new Date() }).where(and(eq(incidents.rule, "poster_error_rate"), isNull(incidents.resolvedAt)));
    });
    // A burst in the last 5 minutes only.
    await withPlatform("test", (tx) => tx.insert(metricRollups).values([row(1, 40, 4), row(2, 40, 0), row(7, 40, 0), row(12, 40, 0)]));
    await evaluateAlerts(at);
    expect(await openIncident("poster_error_rate", "platform")).toBeUndefined();
    // Failing in every 5 minutes of the last 15.
    await withPlatform("test", (tx) => tx.insert(metricRollups).values([row(6, 40, 3), row(11, 40, 2)]));
    await evaluateAlerts(at);
    expect(await openIncident("poster_error_rate", "platform")).toMatchObject({ details: { calls: 240, errors: 9 } });
    expect(await mailsAbout("Poster calls are failing")).toHaveLength(1);
    await evaluateAlerts(new Date(at.getTime() + 60_000));
    expect(await mailsAbout("Poster calls are failing")).toHaveLength(1);
    // Quiet again: recovered, one more mail.
    await evaluateAlerts(new Date(at.getTime() + 30 * MINUTE));
    expect(await openIncident("poster_error_rate", "platform")).toBeUndefined();
    expect(await mailsAbout("Poster calls are failing")).toHaveLength(2);
  });

  it("dead jobs: one incident while any is left unreplayed, recovered once it is replayed", async () => {
    const at = new Date(t0.getTime() + 12 * HOUR);
    const [dead] = await withPlatform("test", (tx) =>
      tx.insert(jobs).values({ restaurantId: restaurant.id, kind: "sync.full", dedupKey: `alerts-dead-${Date.now()}`, status: "dead", attempts: 3, error: "Poster unavailable", createdAt: new Date(at.getTime() - HOUR), finishedAt: new Date(at.getTime() - HOUR) }).returning(),
    );
    await evaluateAlerts(at);
    expect(await openIncident("dead_jobs", "platform")).toMatchObject({ details: { count: 1, kinds: "sync.full" } });
    await evaluateAlerts(new Date(at.getTime() + 5 * MINUTE));
    expect(await mailsAbout("background job(s) died")).toHaveLength(1);
    // The admin replays it (server/admin/actions.ts names the dead job in the new job's key).
    await withPlatform("test", (tx) => tx.insert(jobs).values({ restaurantId: restaurant.id, kind: "sync.full", dedupKey: `replay:${dead!.id}:${Date.now()}`, status: "succeeded" }));
    await evaluateAlerts(new Date(at.getTime() + 10 * MINUTE));
    expect(await openIncident("dead_jobs", "platform")).toBeUndefined();
    expect((await mailsAbout("background job(s) died")).map((m) => m.subject.split(":")[0]).sort()).toEqual(["[Restaurant Checklist] Alert", "[Restaurant Checklist] Recovered"]);
  });
});
