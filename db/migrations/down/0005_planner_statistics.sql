-- Reverse of 0005_planner_statistics: drops the extended statistics (the planner goes back to independent
-- selectivities; no data is involved).
DROP STATISTICS IF EXISTS "product_departments_restaurant_department_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "products_restaurant_category_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "products_restaurant_supplier_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "purchase_order_lines_restaurant_order_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "purchase_order_lines_restaurant_department_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "purchase_orders_restaurant_supplier_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "purchase_requests_restaurant_department_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "purchase_request_lines_restaurant_request_stats";--> statement-breakpoint
DROP STATISTICS IF EXISTS "membership_departments_restaurant_department_stats";
