import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTables, tableStats, tableStatsByRestaurant, useDeterministicOutput, type TableStats } from "@/db/catalog";
import { openRawPglite, openRawPostgres, rawConnectionForApp, type RawConnection } from "@/db/raw";
import { rowsOf } from "@/db/rows";
import { withPlatform, withTenant } from "@/db/scope";
import { products } from "@/db/schema";
import { runBackup, runBackupStep, type BackupState } from "@/server/backup/backup";
import { backupOverview } from "@/server/backup/overview";
import { backupFolder, BackupIntegrityError, manifestKey, readManifest, tableReader, type BackupManifest } from "@/server/backup/format";
import { restoreBackup, restoreRestaurant, RestoreRefusedError } from "@/server/backup/restore";
import { applyRetention, listBackups } from "@/server/backup/retention";
import type { S3Storage } from "@/server/backup/storage";
import { parseKeyring } from "@/server/crypto/keyring";
import { closeDatabase, openTestDatabase, testDatabaseKind } from "../support/database";
import { startS3 } from "../support/s3";
import { newMarker, seedTenant } from "../support/tenant-fixture";

/**
 * Backups against a real S3-compatible server (s3rver) and the real database: Postgres with TEST_DATABASE_URL
 * (COPY streamed through postgres.js), else the embedded PGlite (COPY through its blob device). The tests run in
 * order and share one backup.
 */
const keyring = parseKeyring(`t1:${Buffer.alloc(32, 7).toString("base64")}`, "BACKUP_ENCRYPTION_KEYS");
const postgresUrl = process.env.TEST_DATABASE_URL || null;

type Stats = Record<string, TableStats>;

async function allStats(connection: RawConnection): Promise<Stats> {
  return connection.transaction(async (s) => {
    await useDeterministicOutput(s);
    const [role] = await s.query<{ exists: boolean }>(`select exists (select 1 from pg_roles where rolname = 'app_admin') as exists`);
    if (!role?.exists) return {};
    await s.query("set local role app_admin");
    const out: Stats = {};
    for (const t of await listTables(s)) out[t.name] = await tableStats(s, t);
    return out;
  });
}

/** Per restaurant, per table: what a one-restaurant restore may change and what it must not. */
async function statsByRestaurant(connection: RawConnection): Promise<Map<string, Stats>> {
  return connection.transaction(async (s) => {
    await useDeterministicOutput(s);
    await s.query("set local role app_admin");
    const out = new Map<string, Stats>();
    for (const t of await listTables(s)) {
      for (const [id, stats] of await tableStatsByRestaurant(s, t)) {
        const entry = out.get(id) ?? {};
        entry[t.name] = stats;
        out.set(id, entry);
      }
    }
    return out;
  });
}

/** A restaurant with a row in every tenant table, plus volume: products, orders with lines. */
async function seedRestaurant(i: number): Promise<string> {
  const tenant = await seedTenant(newMarker(`Bk${i}`));
  await withPlatform("test", async (tx) => {
    const [refs] = rowsOf<{ supplier: string; department: string }>(
      await tx.execute(sql`select (select id from suppliers where restaurant_id = ${tenant.restaurantId} limit 1) as supplier,
                                  (select id from departments where restaurant_id = ${tenant.restaurantId} limit 1) as department`),
    );
    await tx.execute(sql`insert into products (restaurant_id, poster_ingredient_id, name, unit, supplier_id, cost_minor)
      select ${tenant.restaurantId}, 5000 + g, 'Продукт ' || g || E'\ttab\nnewline \\ backslash', 'kg', ${refs!.supplier}::uuid, g * 10
      from generate_series(1, 300) g`);
    await tx.execute(sql`insert into purchase_orders (restaurant_id, number, supplier_id, delivery_date, status)
      select ${tenant.restaurantId}, 1000 + g, ${refs!.supplier}::uuid, current_date + g, 'sent' from generate_series(1, 20) g`);
    await tx.execute(sql`insert into purchase_order_lines (restaurant_id, order_id, product_id, department_id, quantity)
      select o.restaurant_id, o.id, p.id, ${refs!.department}::uuid, 1.5
      from purchase_orders o join products p on p.restaurant_id = o.restaurant_id and p.poster_ingredient_id between 5001 and 5005
      where o.restaurant_id = ${tenant.restaurantId} and o.number > 1000`);
  });
  return tenant.restaurantId;
}

/** Empties the database the test suite runs on (Postgres), or hands over a new empty one (PGlite). */
async function emptyDatabase(): Promise<RawConnection> {
  if (!postgresUrl) return openRawPglite("memory");
  await closeDatabase();
  const connection = await openRawPostgres(postgresUrl);
  await connection.exec("drop schema if exists drizzle cascade; drop schema public cascade; create schema public;");
  return connection;
}

describe(`backups (${testDatabaseKind()}, s3rver)`, () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let storage: S3Storage;
  let restaurantIds: string[] = [];
  let before: Stats;
  let backup: { id: string; manifest: BackupManifest };
  let restored: RawConnection | null = null;

  beforeAll(async () => {
    await openTestDatabase();
    s3 = await startS3();
    storage = s3.storage("app/");
    restaurantIds = [];
    for (let i = 0; i < 10; i++) restaurantIds.push(await seedRestaurant(i));
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    await closeDatabase();
    await s3?.stop();
  });

  it("writes every table, compressed and encrypted in chunks, with a manifest of counts and checksums", async () => {
    const app = await rawConnectionForApp();
    before = await allStats(app).finally(() => app.close());
    const result = await runBackup({ storage, keyring, chunkBytes: 32 * 1024 });
    backup = { id: result.manifest.id, manifest: result.manifest };

    expect(result.location).toBe(`s3://${s3.bucket}/app/backups/${backup.id}/`);
    expect(Object.fromEntries(result.manifest.tables.map((t) => [t.name, { rows: t.rows, checksum: t.checksum }]))).toEqual(before);
    expect(result.manifest.migration?.tag).toMatch(/^\d{4}_/);
    expect(Object.keys(result.manifest.restaurants)).toEqual(expect.arrayContaining(restaurantIds));
    // 10 × 300 products do not fit one 32 KiB chunk: the table is split, and every object is sealed (no plaintext).
    expect(result.manifest.tables.find((t) => t.name === "products")!.chunks.length).toBeGreaterThan(1);
    const objects = await storage.list(backupFolder(backup.id));
    expect(objects.map((o) => o.key)).toContain(manifestKey(backup.id));
    expect(result.bytes).toBe(objects.reduce((n, o) => n + o.size, 0));
    for (const o of objects.slice(0, 10)) {
      const body = await storage.get(o.key);
      expect(body.subarray(0, 4).toString("latin1")).toBe("RCS1");
      expect(body.includes(Buffer.from("Продукт"))).toBe(false);
    }
    expect((await readManifest(storage, backup.id, keyring)).tables).toEqual(result.manifest.tables);

    // The admin overview reads the storage: this backup, its size, and the 26-hour alert.
    const now = new Date();
    const overview = await withPlatform("test", (tx) => backupOverview(tx, now, storage));
    expect(overview.last).toMatchObject({ id: backup.id, bytes: result.bytes });
    expect(overview.alert).toEqual({ alert: false });
    const later = await withPlatform("test", (tx) => backupOverview(tx, new Date(now.getTime() + 27 * 3_600_000), storage));
    expect(later.alert).toMatchObject({ alert: true, reason: "stale" });
    const empty = await withPlatform("test", (tx) => backupOverview(tx, now, s3.storage("nothing-here/")));
    expect(empty.alert).toEqual({ alert: true, reason: "none", hoursSince: null });
  });

  it("drop everything → restore → identical row counts and per-table checksums, then the app works on it", async () => {
    restored = await emptyDatabase();
    expect(await allStats(restored)).toEqual({});
    const report = await restoreBackup(backup.id, { target: restored, storage, keyring });
    expect(report.rows).toBe(Object.values(before).reduce((n, s) => n + s.rows, 0));
    expect(await allStats(restored)).toEqual(before);
    // Row-level security is forced again after the load, and the app (on Postgres, the restored database) reads it.
    const forced = await restored.transaction((s) =>
      s.query<{ n: number }>(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relrowsecurity and not c.relforcerowsecurity`),
    );
    expect(forced[0]!.n).toBe(0);
    if (postgresUrl) {
      await openTestDatabase();
      const count = await withTenant(restaurantIds[3]!, (tx) => tx.$count(products));
      expect(count).toBeGreaterThanOrEqual(300);
    }
  });

  it("refuses to load into a database that is not empty", async () => {
    await expect(restoreBackup(backup.id, { target: restored!, storage, keyring })).rejects.toThrow(RestoreRefusedError);
  });

  it("refuses a tampered, truncated or incomplete backup and writes nothing", async () => {
    const products = backup.manifest.tables.find((t) => t.name === "products")!;
    const victim = `${backupFolder(backup.id)}${products.chunks[1]!.name}`;
    const original = await storage.get(victim);
    const cases: [string, () => Promise<void>, RegExp][] = [
      ["one flipped bit", () => storage.put(victim, Buffer.from(original.map((b, i) => (i === original.length - 10 ? b ^ 1 : b)))), /changed/],
      ["a chunk cut short", () => storage.put(victim, original.subarray(0, original.length - 1)), /changed/],
      ["a missing chunk", () => storage.delete([victim]), /missing/],
    ];
    // One empty database for all of them: a refused restore leaves it migrated and empty, ready for another try.
    await restored?.close();
    restored = await emptyDatabase();
    for (const [, tamper, message] of cases) {
      await tamper();
      await expect(restoreBackup(backup.id, { target: restored, storage, keyring })).rejects.toThrow(message);
      // Migrated to the backup's migration, but not one row loaded.
      const stats = await allStats(restored);
      expect(Object.keys(stats).length).toBe(backup.manifest.tables.length);
      expect(Object.values(stats).every((s) => s.rows === 0)).toBe(true);
      await storage.put(victim, original);
    }
    // A chunk whose sha256 in the manifest is made to match still fails authentication: the manifest is sealed too.
    const manifest = await storage.get(manifestKey(backup.id));
    await storage.put(manifestKey(backup.id), Buffer.from(manifest.map((b, i) => (i === manifest.length - 3 ? b ^ 0x40 : b))));
    await expect(readManifest(storage, backup.id, keyring)).rejects.toThrow(BackupIntegrityError);
    await storage.put(manifestKey(backup.id), manifest);
    // A foreign key opens nothing.
    const otherKey = parseKeyring(`t1:${Buffer.alloc(32, 8).toString("base64")}`, "BACKUP_ENCRYPTION_KEYS");
    await expect(readManifest(storage, backup.id, otherKey)).rejects.toThrow(/authentication failed/);

    // Untampered again, it restores into the same database (the one the rest of the suite uses on Postgres).
    await restoreBackup(backup.id, { target: restored, storage, keyring });
    expect(await allStats(restored)).toEqual(before);
    if (postgresUrl) await openTestDatabase();
  });

  it("puts one restaurant back as it was without touching the others", async () => {
    const live = postgresUrl ? await rawConnectionForApp() : restored!;
    const [changed, deleted] = [restaurantIds[2]!, restaurantIds[5]!];
    const beforeByRestaurant = await statsByRestaurant(live);
    // Damage two restaurants: edits and deletes in one, the other gone entirely (with a person only it had).
    await live.transaction(async (s) => {
      await s.query("set local role app_admin");
      await s.query(`update products set name = 'overwritten' where restaurant_id = $1`, [changed]);
      await s.query(`delete from purchase_order_lines where restaurant_id = $1 and id not in (select order_line_id from receipt_lines)`, [changed]);
      await s.query(`insert into suppliers (restaurant_id, name) values ($1, 'added after the backup')`, [changed]);
      await s.query(`delete from restaurants where id = $1`, [deleted]);
      await s.query(`delete from users where email like $1 and id not in (select user_id from memberships)`, ["%-staff-%"]);
    });
    const damaged = await statsByRestaurant(live);
    expect(damaged.has(deleted)).toBe(false);
    expect(damaged.get(changed)!.products).not.toEqual(beforeByRestaurant.get(changed)!.products);

    const one = await restoreRestaurant(backup.id, changed, { target: live, storage, keyring });
    const two = await restoreRestaurant(backup.id, deleted, { target: live, storage, keyring });
    expect(two.usersAdded).toBeGreaterThanOrEqual(1);
    expect(one.rows).toBeGreaterThan(300);

    const after = await statsByRestaurant(live);
    for (const [id, stats] of beforeByRestaurant) {
      if (id === changed || id === deleted) {
        // As in the backup, plus the audit entry of the restore itself.
        const { audit_log: auditAfter, ...rest } = after.get(id)!;
        const { audit_log: auditBefore, ...expected } = stats;
        expect(rest).toEqual(expected);
        expect(auditAfter!.rows).toBe((auditBefore?.rows ?? 0) + 1);
      } else {
        expect(after.get(id)).toEqual(stats);
      }
    }
    if (live !== restored) await live.close();
  });

  it("refuses a restaurant the backup does not have", async () => {
    const live = postgresUrl ? await rawConnectionForApp() : restored!;
    try {
      await expect(restoreRestaurant(backup.id, "00000000-0000-4000-8000-000000000000", { target: live, storage, keyring })).rejects.toThrow(/has no restaurant/);
    } finally {
      if (live !== restored) await live.close();
    }
  });

  it("is consistent while writes run: every order with all its lines, across steps too", async () => {
    const restaurantId = restaurantIds[0]!;
    // Order numbers the fixtures never use.
    const RACING = 900_000;
    let stop = false;
    let written = 0;
    // Each write adds an order and its 3 lines in one transaction; a backup that read the two tables at different
    // moments would hold orders without lines or lines without orders.
    const writer = (async () => {
      while (!stop) {
        await withPlatform("test", async (tx) => {
          const [order] = rowsOf<{ id: string }>(
            await tx.execute(sql`insert into purchase_orders (restaurant_id, number, supplier_id, delivery_date)
              select ${restaurantId}, ${RACING + written}::int, supplier_id, current_date from purchase_orders where restaurant_id = ${restaurantId} limit 1 returning id`),
          );
          await tx.execute(sql`insert into purchase_order_lines (restaurant_id, order_id, product_id, department_id, quantity)
            select ${restaurantId}, ${order!.id}, product_id, department_id, 2 from purchase_order_lines where restaurant_id = ${restaurantId} limit 3`);
        });
        written++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    const check = async (manifest: BackupManifest) => {
      const read = async (name: string) => {
        const table = manifest.tables.find((t) => t.name === name)!;
        const chunks: Buffer[] = [];
        for await (const c of tableReader({ storage, keyring, backupId: manifest.id, table })) chunks.push(c as Buffer);
        return Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).map((l) => l.split("\t"));
      };
      const orders = await read("purchase_orders");
      const lines = await read("purchase_order_lines");
      const col = (name: string, c: string) => manifest.tables.find((t) => t.name === name)!.columns.indexOf(c);
      const orderIds = new Set(orders.map((o) => o[col("purchase_orders", "id")]));
      const linesPerOrder = new Map<string, number>();
      for (const l of lines) linesPerOrder.set(l[col("purchase_order_lines", "order_id")]!, (linesPerOrder.get(l[col("purchase_order_lines", "order_id")]!) ?? 0) + 1);
      const numberCol = col("purchase_orders", "number");
      const restaurantCol = col("purchase_orders", "restaurant_id");
      const racing = orders.filter((o) => o[restaurantCol] === restaurantId && Number(o[numberCol]) >= RACING);
      expect(racing.length).toBeGreaterThan(0);
      for (const o of racing) expect(linesPerOrder.get(o[col("purchase_orders", "id")]!)).toBe(3);
      for (const orderId of linesPerOrder.keys()) expect(orderIds.has(orderId)).toBe(true);
      expect(orders.length).toBe(manifest.tables.find((t) => t.name === "purchase_orders")!.rows);
    };

    try {
      while (written < 5) await new Promise((r) => setTimeout(r, 5));
      // One snapshot…
      const whole = await runBackup({ storage, keyring, chunkBytes: 64 * 1024, onTable: () => new Promise((r) => setTimeout(r, 5)) });
      expect(whole.manifest.steps).toBe(1);
      await check(whole.manifest);
      // …and one invocation per table (a zero budget), the writes going on between the steps: the tables read
      // early are re-checked in the last snapshot and read again where they changed.
      let state: BackupState | null = null;
      let result;
      let steps = 0;
      do {
        result = await runBackupStep(state, { storage, keyring, budgetMs: 0 });
        if (!result.done) state = result.state;
        steps++;
        await new Promise((r) => setTimeout(r, 20));
      } while (!result.done && steps < 200);
      expect(result.done).toBe(true);
      if (!result.done) return;
      expect(result.manifest.steps).toBeGreaterThan(1);
      await check(result.manifest);
      // Nothing but the manifest's chunks is left in the backup's folder.
      const names = (await storage.list(backupFolder(result.manifest.id))).map((o) => o.key.slice(backupFolder(result.manifest.id).length)).sort();
      expect(names).toEqual(["manifest.bin", ...result.manifest.tables.flatMap((t) => t.chunks.map((c) => c.name))].sort());
    } finally {
      stop = true;
      await writer;
    }
  }, 120_000);

  it("retention keeps 7 daily, 4 weekly, 6 monthly and deletes every object of the rest", async () => {
    const fake = s3.storage("retention/");
    const day = 86_400_000;
    const now = new Date(Date.UTC(2026, 5, 30, 12)); // Tuesday 30 June 2026
    const ids: string[] = [];
    for (let d = 0; d < 200; d += 1) {
      const at = new Date(now.getTime() - d * day - 3_600_000);
      const id = `${at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z")}-${d.toString(16).padStart(8, "0")}`;
      ids.push(id);
      await fake.put(`backups/${id}/products.1.0000.bin`, Buffer.from("x"));
      await fake.put(`backups/${id}/manifest.bin`, Buffer.from("m"));
    }
    // An interrupted backup from yesterday may still be running; one from last week is abandoned.
    await fake.put("backups/20260629T120000Z-aaaaaaaa/products.1.0000.bin", Buffer.from("x"));
    await fake.put("backups/20260620T120000Z-bbbbbbbb/products.1.0000.bin", Buffer.from("x"));

    const result = await applyRetention(fake, { daily: 7, weekly: 4, monthly: 6 }, now);
    const left = (await listBackups(fake)).map((b) => b.id).sort();
    expect(left).toEqual([...result.kept].sort());
    // Days 24–30 June; the newest of ISO weeks 27–24: 30 and 28 June (dailies already), 21 and 14 June; of the
    // months: 30 June, 31 May, 30 April, 31 March, 28 February, 31 January; plus the one that may be running.
    const dates = left.map((id) => id.slice(0, 8));
    expect(dates).toEqual(
      ["20260131", "20260228", "20260331", "20260430", "20260531", "20260614", "20260621", "20260624", "20260625", "20260626", "20260627", "20260628", "20260629", "20260629", "20260630"].sort(),
    );
    expect(left).toContain("20260629T120000Z-aaaaaaaa");
    expect(result.removed).toContain("20260620T120000Z-bbbbbbbb");
    // Every object of a removed backup is gone.
    const objects = await fake.list("backups/");
    expect(objects.every((o) => left.includes(o.key.split("/")[1]!))).toBe(true);
    expect(objects.length).toBe(left.length * 2 - 1);
  }, 120_000);
});
