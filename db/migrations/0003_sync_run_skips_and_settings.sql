ALTER TABLE "sync_runs" ADD COLUMN "skipped_reasons" jsonb;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "settings_changes" jsonb;