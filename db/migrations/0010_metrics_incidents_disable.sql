CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "metric_rollups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"count" integer NOT NULL,
	"errors" integer NOT NULL,
	"sum_ms" double precision NOT NULL,
	"max_ms" double precision NOT NULL,
	"p50_ms" double precision NOT NULL,
	"p95_ms" double precision NOT NULL,
	"p99_ms" double precision NOT NULL,
	"buckets" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "restaurants" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "restaurants" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_open_key" ON "incidents" USING btree ("rule","subject") WHERE "incidents"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "incidents_opened_idx" ON "incidents" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "metric_rollups_minute_idx" ON "metric_rollups" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "metric_rollups_kind_name_minute_idx" ON "metric_rollups" USING btree ("kind","name","minute");--> statement-breakpoint
-- Hand-written: both tables are the platform's own (the metrics recorder, the alerts job, the admin console), run as app_admin.
GRANT SELECT, INSERT, UPDATE, DELETE ON public.metric_rollups, public.incidents TO app_admin;
