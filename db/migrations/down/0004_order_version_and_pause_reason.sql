-- Reverse of 0004_order_version_and_pause_reason: drops the order version and the pause reason/time it added (a
-- paused restaurant stays paused; only why and since when are forgotten).
ALTER TABLE "purchase_orders" DROP COLUMN "version";--> statement-breakpoint
ALTER TABLE "restaurants" DROP COLUMN "paused_at";--> statement-breakpoint
ALTER TABLE "restaurants" DROP COLUMN "paused_reason";
