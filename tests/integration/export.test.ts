import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetBackupKeyringForTests } from "@/server/backup/format";
import { storageFromEnv } from "@/server/backup/storage";
import { resetEnvForTests } from "@/server/env";
import { downloadExport } from "@/server/http/export-download";
import { deleteOldExports, EXPORT_KEEP_MS } from "@/server/export/export-job";
import { ensureJobHandlers, JobRunner } from "@/server/jobs";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { newMarker, seedTenant, sessionOf, type SeededTenant } from "../support/tenant-fixture";

/** The owner's data export: a job with progress, a zip of CSVs and one JSON, only the owner's restaurant in it. */
describe(`owner's data export (${testDatabaseKind()})`, () => {
  let a: SeededTenant;
  let b: SeededTenant;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rc-exports-"));
    process.env.BACKUP_DIR = dir;
    process.env.BACKUP_ENCRYPTION_KEYS = `x1:${Buffer.alloc(32, 9).toString("base64")}`;
    delete process.env.BACKUP_S3_BUCKET;
    // The export itself, for every restaurant (its staged rollout is tests/integration/flags.test.ts).
    process.env.FLAGS = "export.owner=on";
    resetEnvForTests();
    resetBackupKeyringForTests();
    await openTestDatabase();
    ensureJobHandlers();
    a = await seedTenant(newMarker("Expa"));
    b = await seedTenant(newMarker("Expb"));
  });
  afterAll(async () => {
    await closeDatabase();
    process.env = { ...saved };
    resetEnvForTests();
    resetBackupKeyringForTests();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctxFor = async (userId: string, restaurantId: string) => createInnerContext({ session: await sessionOf(userId), requestedRestaurantId: restaurantId });

  it("runs as a job with progress and downloads a zip of the restaurant's own data, without secrets", async () => {
    const ctx = await ctxFor(a.userIds[0]!, a.restaurantId);
    const caller = createCaller(ctx);
    expect(await caller.exports.latest()).toBeNull();
    const { jobId } = await caller.exports.start();
    expect((await caller.exports.start()).jobId).toBe(jobId); // a second click joins it
    await new JobRunner({ pollMs: 20 }).idle(30_000);
    const latest = await caller.exports.latest();
    expect(latest).toMatchObject({ id: jobId, status: "succeeded", expired: false });
    expect(latest!.progress).toMatchObject({ done: 14, total: 14 });
    expect(latest!.files.find((f) => f.name === "orders.csv")!.rows).toBeGreaterThan(0);

    const response = await downloadExport(jobId, ctx);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(
      ["categories.csv", "departments.csv", "invitations.csv", "order_lines.csv", "orders.csv", "product_departments.csv", "products.csv", "receipt_lines.csv", "receipts.csv", "request_lines.csv", "requests.csv", "restaurant.json", "suppliers.csv", "team.csv"],
    );
    const all = Object.values(files).map((f) => strFromU8(f)).join("\n");
    expect(all).toContain(a.marker);
    expect(all).not.toContain(b.marker);
    for (const id of [b.restaurantId, ...b.userIds]) expect(all).not.toContain(id);
    expect(all).not.toMatch(/\$argon2|token_hash|password|session_version|token_ciphertext/);
    expect(strFromU8(files["team.csv"]!)).toContain(`${a.marker.toLowerCase()}-owner-`);
    expect(JSON.parse(strFromU8(files["restaurant.json"]!)).restaurant.id).toBe(a.restaurantId);
    // Stored sealed: the object holds no plaintext.
    const [stored] = await storageFromEnv().list(`exports/${a.restaurantId}/`);
    const sealed = await storageFromEnv().get(stored!.key);
    expect(sealed.subarray(0, 4).toString("latin1")).toBe("RCS1");
    expect(sealed.includes(Buffer.from(a.marker))).toBe(false);

    // Another restaurant's owner gets nothing for this id; a staff member may not export at all.
    const other = await downloadExport(jobId, await ctxFor(b.userIds[0]!, b.restaurantId));
    expect(other.status).toBe(404);
    const staff = await createUser();
    await addMembership({ restaurantId: a.restaurantId, userId: staff.id, role: "manager", canSend: true, canReceive: true });
    expect((await downloadExport(jobId, await ctxFor(staff.id, a.restaurantId))).status).toBe(403);
    await expect(createCaller(await ctxFor(staff.id, a.restaurantId)).exports.start()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await downloadExport("not-a-uuid", ctx)).status).toBe(400);
    expect((await downloadExport(jobId, createInnerContext())).status).toBe(401);
  });

  it("leaves the storage after 7 days", async () => {
    const before = (await storageFromEnv().list("exports/")).length;
    expect(before).toBeGreaterThan(0);
    expect(await deleteOldExports(new Date())).toBe(0);
    expect(await deleteOldExports(new Date(Date.now() + EXPORT_KEEP_MS + 60_000))).toBe(before);
    expect(await storageFromEnv().list("exports/")).toEqual([]);
  });
});
