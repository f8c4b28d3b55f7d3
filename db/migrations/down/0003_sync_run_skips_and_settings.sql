-- Reverse of 0003_sync_run_skips_and_settings: drops the two diagnostic columns it added to sync_runs (the skipped
-- rows' reasons and the settings changes recorded since; every other row and column is kept).
ALTER TABLE "sync_runs" DROP COLUMN "settings_changes";--> statement-breakpoint
ALTER TABLE "sync_runs" DROP COLUMN "skipped_reasons";
