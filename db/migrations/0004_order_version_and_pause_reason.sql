ALTER TABLE "restaurants" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "restaurants" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;