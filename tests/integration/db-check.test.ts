import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessProblems, buildFromSchema, differences, DOWN_FOLDER, populate, readDownScript, reusedDatabase, revertMigration, rowCounts, schemaFingerprint } from "@/db/check";
import { migrateTo, readJournal } from "@/db/migrate";
import { openRawPglite, type RawConnection } from "@/db/raw";

/**
 * The pieces of `npm run db:check` catch what they are for: drift, a table left without forced RLS, a reverse
 * that leaves the schema different or loses rows. (`npm test` runs the check itself on PGlite and Postgres.)
 * Its own embedded database, wiped between cases.
 */
describe("migration check", () => {
  const database = reusedDatabase(() => openRawPglite("memory"));
  const journal = readJournal();
  const latest = journal[journal.length - 1]!;
  const previous = journal[journal.length - 2]!;
  let db: RawConnection;
  let folder: string;

  beforeAll(async () => {
    db = await database.fresh();
    folder = mkdtempSync(path.join(tmpdir(), "rc-down-"));
  });
  afterAll(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("finds no drift on the real schema, and finds a column the schema does not have", async () => {
    await migrateTo(db);
    const migrated = await db.transaction((s) => schemaFingerprint(s, "drizzle"));
    const fresh = await database.fresh();
    await buildFromSchema(fresh);
    const fromSchema = await fresh.transaction((s) => schemaFingerprint(s, "drizzle"));
    expect(differences(fromSchema, migrated, ["schema", "migrations"])).toEqual([]);
    await fresh.exec(`alter table products add column hand_made text; drop index products_restaurant_supplier_idx`);
    const drifted = await fresh.transaction((s) => schemaFingerprint(s, "drizzle"));
    const found = differences(drifted, migrated, ["schema", "migrations"]);
    expect(found).toContain("only schema: column products.hand_made text");
    expect(found.some((l) => l.startsWith("only migrations: index") && l.includes("products_restaurant_supplier_idx"))).toBe(true);
  });

  it("names a tenant table without forced RLS, without a policy, or that app_admin cannot write", async () => {
    const fresh = await database.fresh();
    await migrateTo(fresh);
    expect(await fresh.transaction((s) => accessProblems(s))).toEqual([]);
    await fresh.exec(`
      alter table products no force row level security;
      drop policy suppliers_tenant_isolation on suppliers;
      create table notes (id uuid primary key, restaurant_id uuid not null);`);
    const problems = await fresh.transaction((s) => accessProblems(s));
    expect(problems).toEqual(
      expect.arrayContaining([
        "products: row-level security is not forced (the owner would see every restaurant)",
        "suppliers: no policy on app.tenant_id",
        "notes: row-level security is not enabled",
        "notes: no index that starts with restaurant_id",
        "notes: app_admin may not read and write it (backups and restores run as app_admin)",
      ]),
    );
  });

  it("the latest reverse restores the previous schema with its rows; a wrong one is caught", async () => {
    const fresh = await database.fresh();
    await migrateTo(fresh, previous.tag);
    const before = await fresh.transaction((s) => schemaFingerprint(s));
    const filled = await populate(fresh);
    expect(filled.refused).toEqual([]);
    expect(filled.rows).toBeGreaterThan(50);
    const counts = await fresh.transaction((s) => rowCounts(s));
    await migrateTo(fresh, latest.tag);
    const after = await fresh.transaction((s) => schemaFingerprint(s));
    expect(after).not.toEqual(before);

    await revertMigration(fresh, latest);
    expect(differences(before, await fresh.transaction((s) => schemaFingerprint(s)), ["before", "reverted"])).toEqual([]);
    expect(await fresh.transaction((s) => rowCounts(s))).toEqual(counts);
    await migrateTo(fresh, latest.tag);
    expect(await fresh.transaction((s) => schemaFingerprint(s))).toEqual(after);

    // A reverse that forgets its last statement, and one that also deletes rows.
    const real = readDownScript(latest.tag);
    if (real.kind !== "reverse") throw new Error(`${latest.tag} has no reverse`);
    const original = readFileSync(path.join(DOWN_FOLDER, `${latest.tag}.sql`), "utf8");
    writeFileSync(path.join(folder, `${latest.tag}.sql`), real.statements.slice(0, -1).join("\n--> statement-breakpoint\n"));
    await revertMigration(fresh, latest, folder);
    expect(differences(before, await fresh.transaction((s) => schemaFingerprint(s)), ["before", "reverted"]).length).toBeGreaterThan(0);
    await fresh.exec(real.statements.slice(-1).join(";"));
    await migrateTo(fresh, latest.tag);
    writeFileSync(path.join(folder, `${latest.tag}.sql`), `${original}\n--> statement-breakpoint\ndelete from mail_outbox`);
    await revertMigration(fresh, latest, folder);
    expect((await fresh.transaction((s) => rowCounts(s))).mail_outbox).toBe(0);
    expect(counts.mail_outbox).toBeGreaterThan(0);
  });

  it("every migration after the baseline has its reverse file", () => {
    for (const entry of journal.slice(3)) expect(readDownScript(entry.tag).kind, entry.tag).not.toBe("missing");
    writeFileSync(path.join(folder, "9999_contract.sql"), "-- forward-fix: drops a column; 9999b restores it from the archive table\n");
    expect(readDownScript("9999_contract", folder)).toEqual({ kind: "forward-fix", reason: "drops a column; 9999b restores it from the archive table" });
    expect(readDownScript("9999_none", folder)).toEqual({ kind: "missing" });
  });
});
