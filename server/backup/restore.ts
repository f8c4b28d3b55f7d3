import type { Readable } from "node:stream";
import { listForeignKeys, listTables, tableStats, useDeterministicOutput, type TableInfo } from "@/db/catalog";
import { appliedMigration, migrateTo, readJournal } from "@/db/migrate";
import { quoteIdent, type RawConnection, type RawSession } from "@/db/raw";
import type { Keyring } from "@/server/crypto/keyring";
import { backupKeyring, BackupIntegrityError, readManifest, restaurantRows, tableReader, type BackupManifest, type TableDump } from "./format";
import { storageFromEnv, type ObjectStorage } from "./storage";

export interface RestoreOptions {
  /** The database to load into (the CLI: DATABASE_URL_DIRECT, DATABASE_URL or the embedded folder). */
  target: RawConnection;
  storage?: ObjectStorage;
  keyring?: Keyring;
}

/** A restore that cannot go ahead (not empty, another migration, no such restaurant): nothing was written. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefusedError";
  }
}

export interface RestoreReport {
  backupId: string;
  tables: number;
  rows: number;
  /** The migration the data was loaded at, and the one the database is at now. */
  loadedAt: string | null;
  migratedTo: string | null;
}

/** The target's tables must be the backup's, column for column: same migration, same schema. */
function assertSameSchema(manifest: BackupManifest, tables: TableInfo[]): void {
  const here = new Map(tables.map((t) => [t.name, t.columns.join(",")]));
  const differ = manifest.tables.filter((t) => here.get(t.name) !== t.columns.join(","));
  const extra = tables.filter((t) => !manifest.tables.some((m) => m.name === t.name));
  if (differ.length || extra.length) {
    throw new RestoreRefusedError(`The database's tables differ from the backup's (${[...differ.map((t) => t.name), ...extra.map((t) => t.name)].slice(0, 5).join(", ")}).`);
  }
}

async function verify(session: RawSession, dumps: readonly TableDump[], expected: (t: TableDump) => { rows: number; checksum: string }, restaurantId?: string) {
  for (const dump of dumps) {
    const want = expected(dump);
    const got = await tableStats(session, dump, restaurantId);
    if (got.rows !== want.rows || got.checksum !== want.checksum) {
      throw new BackupIntegrityError(`Table ${dump.name} restored ${got.rows} rows (checksum ${got.checksum}), the backup says ${want.rows} (${want.checksum}).`);
    }
  }
}

const columnList = (dump: TableDump) => dump.columns.map(quoteIdent).join(", ");

/**
 * COPY goes into a temporary table without constraints, then INSERT … SELECT moves the rows: a COPY the server
 * refuses halfway leaves postgres.js waiting forever (its stream has already let go of the error), while an
 * INSERT fails like any query. Authenticated chunks from a COPY of the same columns always load into it.
 */
async function stageTable(s: RawSession, dump: TableDump, name: string, source: Readable): Promise<string> {
  const stage = quoteIdent(name);
  await s.query(`create temporary table ${stage} on commit drop as select ${columnList(dump)} from public.${quoteIdent(dump.name)} with no data`);
  await s.copyIn(name, dump.columns, source);
  return stage;
}

function knownMigration(manifest: BackupManifest): string | null {
  if (!manifest.migration) return null;
  const entry = readJournal().find((e) => e.when === manifest.migration!.when);
  if (!entry) throw new RestoreRefusedError(`Backup ${manifest.id} is at migration ${manifest.migration.tag ?? manifest.migration.when}, which this version of the app does not have: restore it with the version that made it.`);
  return entry.tag;
}

/**
 * Loads a whole backup into an empty database: migrates it to the backup's migration, loads every table in one
 * transaction as app_admin (in foreign-key order, COPY from the chunks), checks every table's row count and
 * checksum against the manifest before committing, then migrates forward to this version's latest migration. A
 * tampered chunk, a missing one or a count that differs rolls everything back.
 */
export async function restoreBackup(backupId: string, options: RestoreOptions): Promise<RestoreReport> {
  const storage = options.storage ?? storageFromEnv();
  const keyring = options.keyring ?? backupKeyring();
  const { target } = options;
  const manifest = await readManifest(storage, backupId, keyring);
  const tag = knownMigration(manifest);

  const before = await target.transaction(async (s) => {
    const [row] = await s.query<{ n: number }>(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`);
    return { tables: row!.n, migration: await appliedMigration(s) };
  });
  if (before.tables > 0 && before.migration?.hash !== manifest.migration?.hash) {
    throw new RestoreRefusedError("The database is not empty (it has tables at another migration): restore into a new, empty database.");
  }
  if (before.tables === 0) await migrateTo(target, tag);

  const rows = await target.transaction(async (s) => {
    await useDeterministicOutput(s);
    const migration = await appliedMigration(s);
    if (migration?.hash !== manifest.migration?.hash) throw new RestoreRefusedError(`The database is at migration ${migration?.tag ?? "none"}, the backup at ${tag ?? "none"}.`);
    const tables = await listTables(s);
    assertSameSchema(manifest, tables);
    // As app_admin, the role row-level security shows (and lets write) every restaurant's rows.
    await s.query(`set local role app_admin`);
    for (const t of tables) {
      const [row] = await s.query<{ any: boolean }>(`select exists (select 1 from public.${quoteIdent(t.name)}) as any`);
      if (row?.any) throw new RestoreRefusedError(`The database is not empty (table ${t.name} has rows): restore into a new, empty database.`);
    }
    for (const [i, dump] of manifest.tables.entries()) {
      const stage = await stageTable(s, dump, `rc_restore_${i}`, tableReader({ storage, keyring, backupId, table: dump }));
      await s.query(`insert into public.${quoteIdent(dump.name)} (${columnList(dump)}) select ${columnList(dump)} from ${stage}`);
      await s.query(`drop table ${stage}`);
    }
    await verify(s, manifest.tables, (t) => t);
    for (const seq of manifest.sequences) if (seq.value !== null) await s.query(`select setval($1::regclass, $2::bigint)`, [`public.${quoteIdent(seq.name)}`, seq.value]);
    return manifest.tables.reduce((n, t) => n + t.rows, 0);
  });

  await migrateTo(target);
  const after = await target.transaction((s) => appliedMigration(s));
  return { backupId, tables: manifest.tables.length, rows, loadedAt: tag, migratedTo: after?.tag ?? null };
}

export interface RestaurantRestoreReport {
  backupId: string;
  restaurantId: string;
  rows: number;
  /** People the restaurant's rows refer to who were not in the database any more. */
  usersAdded: number;
}

/**
 * Puts one restaurant back as it was in a backup, in a live database, touching no other restaurant: in one
 * transaction as `app_admin` (row-level security on), its rows from the backup are staged in temporary tables,
 * its current rows deleted, the staged ones inserted, and the result checked against the manifest's counts and
 * checksums for that restaurant. People it refers to who are gone are added back; nobody else's row changes.
 * The database must be at the backup's migration (restore an older backup into a scratch database, migrate
 * it, back that up, and restore the restaurant from the new backup).
 */
export async function restoreRestaurant(backupId: string, restaurantId: string, options: RestoreOptions): Promise<RestaurantRestoreReport> {
  const storage = options.storage ?? storageFromEnv();
  const keyring = options.keyring ?? backupKeyring();
  const manifest = await readManifest(storage, backupId, keyring);
  const expected = manifest.restaurants[restaurantId];
  if (!expected) throw new RestoreRefusedError(`Backup ${backupId} has no restaurant ${restaurantId}.`);
  const tag = knownMigration(manifest);

  return options.target.transaction(async (s) => {
    await useDeterministicOutput(s);
    const migration = await appliedMigration(s);
    if (migration?.hash !== manifest.migration?.hash) {
      throw new RestoreRefusedError(`The database is at migration ${migration?.tag ?? "none"}, the backup at ${tag ?? "none"}: restore the backup into a scratch database, migrate it, back it up and restore the restaurant from that backup.`);
    }
    assertSameSchema(manifest, await listTables(s));
    await s.query(`set local role app_admin`);

    const tenant = manifest.tables.filter((t) => t.tenantColumn);
    const references = (await listForeignKeys(s)).filter((fk) => tenant.some((t) => t.name === fk.child) && !tenant.some((t) => t.name === fk.parent));
    const globals = manifest.tables.filter((t) => references.some((fk) => fk.parent === t.name));
    const stage = new Map<string, string>();
    for (const [i, dump] of [...tenant, ...globals].entries()) {
      const source = tableReader({ storage, keyring, backupId, table: dump });
      const rows = dump.tenantColumn ? restaurantRows(source, dump.columns.indexOf(dump.tenantColumn), restaurantId) : source;
      stage.set(dump.name, await stageTable(s, dump, `rc_restore_${i}`, rows));
    }

    // Rows of another restaurant pointing at this one's would be cascaded or orphaned by the delete: refuse.
    for (const fk of (await listForeignKeys(s)).filter((k) => k.child !== k.parent)) {
      const child = tenant.find((t) => t.name === fk.child);
      const parent = tenant.find((t) => t.name === fk.parent);
      if (!child || !parent) continue;
      const [crossing] = await s.query(
        `select 1 from public.${quoteIdent(child.name)} c join public.${quoteIdent(parent.name)} p on c.${quoteIdent(fk.child_column)} = p.${quoteIdent(fk.parent_column)}
         where p.${quoteIdent(parent.tenantColumn!)} = $1::uuid and c.${quoteIdent(child.tenantColumn!)} is distinct from $1::uuid limit 1`,
        [restaurantId],
      );
      if (crossing) throw new RestoreRefusedError(`Rows of another restaurant in ${child.name} refer to this restaurant's ${parent.name}: nothing was changed.`);
    }
    for (const dump of [...tenant].reverse()) await s.query(`delete from public.${quoteIdent(dump.name)} where ${quoteIdent(dump.tenantColumn!)} = $1::uuid`, [restaurantId]);

    let usersAdded = 0;
    for (const dump of globals) {
      const fks = references.filter((fk) => fk.parent === dump.name);
      const key = quoteIdent(fks[0]!.parent_column);
      const wanted = fks.map((fk) => `select ${quoteIdent(fk.child_column)} from ${stage.get(fk.child)!}`).join(" union ");
      const cols = columnList(dump);
      const added = await s.query(
        `insert into public.${quoteIdent(dump.name)} (${cols}) select ${cols} from ${stage.get(dump.name)!} s
         where s.${key} in (${wanted}) and not exists (select 1 from public.${quoteIdent(dump.name)} p where p.${key} = s.${key}) returning 1`,
      );
      usersAdded += added.length;
    }
    for (const dump of tenant) await s.query(`insert into public.${quoteIdent(dump.name)} (${columnList(dump)}) select ${columnList(dump)} from ${stage.get(dump.name)!}`);
    await verify(s, tenant, (t) => expected[t.name] ?? { rows: 0, checksum: "0" }, restaurantId);
    await s.query(`insert into public.audit_log (restaurant_id, action, target_type, target_id, data) values ($1::uuid, 'backup.restore_restaurant', 'restaurant', $1::text, $2::jsonb)`, [
      restaurantId,
      JSON.stringify({ backupId, snapshotAt: manifest.snapshotAt }),
    ]);
    return { backupId, restaurantId, rows: tenant.reduce((n, t) => n + (expected[t.name]?.rows ?? 0), 0), usersAdded };
  });
}
