import { z } from "zod";
import { listSequences, listTables, tableStats, tableStatsByRestaurant, useDeterministicOutput, type TableStats } from "@/db/catalog";
import { appliedMigration } from "@/db/migrate";
import { rawConnectionForApp, type RawConnection } from "@/db/raw";
import type { Keyring } from "@/server/crypto/keyring";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";
import { backupFolder, backupKeyring, newBackupId, tableWriter, writeManifest, type BackupManifest, type TableDump } from "./format";
import { applyRetention, retentionFromEnv, type RetentionResult } from "./retention";
import { storageFromEnv, type ObjectStorage } from "./storage";

/**
 * What a backup that did not finish in one invocation carries to the next (the job payload): the tables already
 * stored. The next invocation opens a new snapshot and re-checks them there (count and checksum, computed by
 * Postgres without reading them out); the ones that changed are read again. So a finished backup always equals
 * ONE snapshot, the last one, however many invocations it took.
 */
export const backupStateSchema = z
  .object({
    id: z.string(),
    step: z.number().int().min(1),
    migrationHash: z.string().nullable(),
    tables: z.array(
      z.object({
        name: z.string(),
        columns: z.array(z.string()),
        tenantColumn: z.string().nullable(),
        rows: z.number().int().min(0),
        checksum: z.string(),
        plainBytes: z.number().int().min(0),
        chunks: z.array(z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() })),
      }),
    ),
  })
  .strict();
export type BackupState = z.infer<typeof backupStateSchema>;

export interface BackupOptions {
  storage?: ObjectStorage;
  keyring?: Keyring;
  /** Stop starting new tables after this long (ms); the state says where to continue. */
  budgetMs?: number;
  chunkBytes?: number;
  connection?: RawConnection;
  /** Tests: called between tables, inside the snapshot. */
  onTable?: (name: string) => Promise<void>;
}

export type BackupStepResult =
  | { done: false; state: BackupState; tablesThisStep: number }
  | { done: true; manifest: BackupManifest; bytes: number; objects: number; location: string; retention: RetentionResult | null };

function settings(options: BackupOptions) {
  const e = env();
  return {
    storage: options.storage ?? storageFromEnv(),
    keyring: options.keyring ?? backupKeyring(),
    budgetMs: options.budgetMs ?? e.BACKUP_STEP_SECONDS * 1000,
    chunkBytes: options.chunkBytes ?? Math.round(e.BACKUP_CHUNK_MB * 1024 * 1024),
  };
}

const sameStats = (a: TableStats, b: TableStats) => a.rows === b.rows && a.checksum === b.checksum;

/**
 * One invocation of a backup: a REPEATABLE READ, read-only snapshot, every table streamed out with COPY
 * (compressed, sealed, stored chunk by chunk as it is read), until done or out of budget. Read as `app_admin`,
 * the role row-level security shows every restaurant to.
 */
export async function runBackupStep(previous: BackupState | null, options: BackupOptions = {}): Promise<BackupStepResult> {
  const { storage, keyring, budgetMs, chunkBytes } = settings(options);
  const started = Date.now();
  const connection = options.connection ?? (await rawConnectionForApp());
  const id = previous?.id ?? newBackupId();
  const step = previous ? previous.step + 1 : 1;
  try {
    const outcome = await connection.transaction(
      async (session) => {
        await useDeterministicOutput(session);
        const migration = await appliedMigration(session);
        const [info] = await session.query<{ now_ms: string; version: string }>(`select (extract(epoch from now()) * 1000)::bigint::text as now_ms, version() as version`);
        await session.query(`set local role app_admin`);
        const tables = await listTables(session);

        // Tables stored by earlier steps count only if this snapshot still has exactly those rows.
        const done = new Map<string, TableDump>();
        const stale: string[] = [];
        if (previous && previous.migrationHash === (migration?.hash ?? null)) {
          for (const dump of previous.tables) {
            const table = tables.find((t) => t.name === dump.name);
            const unchanged = table && table.columns.join() === dump.columns.join() && sameStats(await tableStats(session, table), dump);
            if (unchanged) done.set(dump.name, dump);
            else stale.push(...dump.chunks.map((c) => c.name));
          }
        } else if (previous) {
          stale.push(...previous.tables.flatMap((t) => t.chunks.map((c) => c.name)));
        }

        // The budget stops only tables never read before: changed ones are read again in this same snapshot, so
        // the step that reaches the last new table completes the backup (at most one step per table).
        const readBefore = new Set(previous?.tables.map((t) => t.name) ?? []);
        let tablesThisStep = 0;
        let newThisStep = 0;
        for (const table of tables) {
          if (done.has(table.name)) continue;
          const isNew = !readBefore.has(table.name);
          if (isNew && newThisStep > 0 && Date.now() - started > budgetMs) break;
          if (isNew) newThisStep++;
          await options.onTable?.(table.name);
          const writer = tableWriter({ storage, keyring, backupId: id, baseName: `${table.name}.${step}`, chunkBytes });
          await session.copyOut(table.name, table.columns, writer.sink);
          const written = await writer.finished;
          const stats = await tableStats(session, table);
          if (written.rows !== stats.rows) throw new Error(`COPY of ${table.name} gave ${written.rows} rows, the snapshot has ${stats.rows}.`);
          done.set(table.name, { name: table.name, columns: table.columns, tenantColumn: table.tenantColumn, ...stats, plainBytes: written.plainBytes, chunks: written.chunks });
          tablesThisStep++;
        }

        const dumps = tables.map((t) => done.get(t.name)).filter((d): d is TableDump => d !== undefined);
        if (dumps.length < tables.length) {
          return { complete: false as const, state: { id, step, migrationHash: migration?.hash ?? null, tables: dumps }, tablesThisStep, stale };
        }
        const restaurants: BackupManifest["restaurants"] = {};
        for (const table of tables) {
          for (const [restaurantId, stats] of await tableStatsByRestaurant(session, table)) (restaurants[restaurantId] ??= {})[table.name] = stats;
        }
        const manifest: BackupManifest = {
          format: 1,
          id,
          snapshotAt: new Date(Number(info!.now_ms)).toISOString(),
          finishedAt: "",
          database: { kind: connection.kind, version: info!.version },
          migration,
          steps: step,
          tables: dumps,
          sequences: await listSequences(session),
          restaurants,
        };
        return { complete: true as const, manifest, stale };
      },
      { isolation: "repeatable read", readOnly: true },
    );

    if (!outcome.complete) {
      if (outcome.stale.length) await storage.delete(outcome.stale.map((name) => `${backupFolder(id)}${name}`));
      return { done: false, state: outcome.state, tablesThisStep: outcome.tablesThisStep };
    }
    const manifest = { ...outcome.manifest, finishedAt: new Date().toISOString() };
    await writeManifest(storage, manifest, keyring);
    // Anything in the folder the manifest does not name (a re-read table's old chunks, a crashed attempt's) goes.
    const keep = new Set([...manifest.tables.flatMap((t) => t.chunks.map((c) => c.name)), "manifest.bin"]);
    const objects = await storage.list(backupFolder(id));
    const orphans = objects.filter((o) => !keep.has(o.key.slice(backupFolder(id).length)));
    if (orphans.length) await storage.delete(orphans.map((o) => o.key));
    const kept = objects.filter((o) => keep.has(o.key.slice(backupFolder(id).length)));
    let retention: RetentionResult | null = null;
    try {
      retention = await applyRetention(storage, retentionFromEnv(), new Date(), [id]);
    } catch (error) {
      // The backup itself is complete; a failed clean-up is retried with the next one.
      log.warn("backup retention failed", { backupId: id, error });
    }
    return { done: true, manifest, bytes: kept.reduce((n, o) => n + o.size, 0), objects: kept.length, location: `${storage.location}${backupFolder(id)}`, retention };
  } finally {
    if (!options.connection) await connection.close();
  }
}

/** The whole backup in this process (the CLI): steps until done, each continuing the previous one's state. */
export async function runBackup(options: BackupOptions = {}): Promise<Extract<BackupStepResult, { done: true }>> {
  let state: BackupState | null = null;
  for (;;) {
    const result = await runBackupStep(state, options);
    if (result.done) return result;
    state = result.state;
  }
}
