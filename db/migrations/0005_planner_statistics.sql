-- Extended statistics for the tenant-scoped hot queries. Under row-level security the planner never sees the
-- restaurant as a constant (the policy compares with current_setting(...)), so it multiplies the selectivity of
-- restaurant_id by that of the other column as if they were independent: a 500-product department was estimated
-- at 2 rows and every join became a nested loop. (dependencies, ndistinct) on each (restaurant_id, <child key>)
-- pair the hot paths filter on gives the planner the correlation. tests/integration/plan-check.test.ts keeps the
-- estimates within 10x of the actual rows on generated data.
CREATE STATISTICS IF NOT EXISTS "product_departments_restaurant_department_stats" (dependencies, ndistinct) ON "restaurant_id", "department_id" FROM "product_departments";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "products_restaurant_category_stats" (dependencies, ndistinct) ON "restaurant_id", "category_id" FROM "products";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "products_restaurant_supplier_stats" (dependencies, ndistinct) ON "restaurant_id", "supplier_id" FROM "products";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "purchase_order_lines_restaurant_order_stats" (dependencies, ndistinct) ON "restaurant_id", "order_id" FROM "purchase_order_lines";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "purchase_order_lines_restaurant_department_stats" (dependencies, ndistinct) ON "restaurant_id", "department_id" FROM "purchase_order_lines";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "purchase_orders_restaurant_supplier_stats" (dependencies, ndistinct) ON "restaurant_id", "supplier_id" FROM "purchase_orders";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "purchase_requests_restaurant_department_stats" (dependencies, ndistinct) ON "restaurant_id", "department_id" FROM "purchase_requests";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "purchase_request_lines_restaurant_request_stats" (dependencies, ndistinct) ON "restaurant_id", "request_id" FROM "purchase_request_lines";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "membership_departments_restaurant_department_stats" (dependencies, ndistinct) ON "restaurant_id", "department_id" FROM "membership_departments";--> statement-breakpoint
-- The statistics are filled by the next ANALYZE (autovacuum, or now for these tables).
ANALYZE "product_departments", "products", "purchase_order_lines", "purchase_orders", "purchase_requests", "purchase_request_lines", "membership_departments";
