-- Reverse of 0010_metrics_incidents_disable: drops the metrics rollup and the incidents (recorded figures and
-- alert history are lost) and the restaurants' disabled marks (a disabled restaurant is active again).
DROP TABLE IF EXISTS "metric_rollups";--> statement-breakpoint
DROP TABLE IF EXISTS "incidents";--> statement-breakpoint
ALTER TABLE "restaurants" DROP COLUMN IF EXISTS "disabled_reason";--> statement-breakpoint
ALTER TABLE "restaurants" DROP COLUMN IF EXISTS "disabled_at";
