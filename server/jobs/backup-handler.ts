import { z } from "zod";
import { backupStateSchema, runBackupStep } from "@/server/backup/backup";
import { runExport } from "@/server/export/export-job";
import { parsePayload, requireRestaurant } from "./handlers";
import { enqueueJob } from "./queue";
import { registerJobHandler } from "./registry";
import { PermanentJobError } from "./types";

const payload = z.object({ scheduledAt: z.iso.datetime().optional(), state: backupStateSchema.optional() }).strict();

/** Tables that change faster than a step can read them would never settle; say so instead of running forever. */
const MAX_STEPS = 20;

/**
 * backup.run: one step of the database backup (server/backup). A step that runs out of its budget hands its
 * state to a follow-up job; the step number is in the dedup key, so a duplicate delivery or a retry does not
 * fork the backup. A retried step rewrites the same chunk names, and whatever it left behind is swept when the
 * backup completes.
 */
export function registerBackupHandler(): void {
  registerJobHandler("backup.run", async (ctx) => {
    const { state } = parsePayload(payload, ctx);
    if (state && state.step >= MAX_STEPS) throw new PermanentJobError(`Backup ${state.id} did not settle in ${MAX_STEPS} steps: its tables change faster than they can be read.`);
    const result = await runBackupStep(state ?? null);
    if (!result.done) {
      const next = result.state;
      await enqueueJob({
        kind: "backup.run",
        restaurantId: null,
        payload: { state: next },
        dedupKey: `backup:${next.id}:step:${next.step + 1}`,
        dedup: "until-success",
        maxAttempts: 3,
      });
      return { backupId: next.id, step: next.step, tablesStored: next.tables.length, continued: true };
    }
    const { manifest } = result;
    return {
      backupId: manifest.id,
      location: result.location,
      bytes: result.bytes,
      objects: result.objects,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      steps: manifest.steps,
      removed: result.retention?.removed ?? [],
    };
  });
}

/**
 * export.restaurant: an owner's data export (server/export). Idempotent: a retry writes a new sealed object under its
 * own name and the job's result points at the one that finished; jobs.cleanup removes exports after 7 days.
 */
export function registerExportHandler(): void {
  registerJobHandler("export.restaurant", async (ctx) => {
    parsePayload(z.object({}).strict(), ctx);
    return runExport(ctx, requireRestaurant(ctx));
  });
}
