-- Reverse of 0011_enter_tenant_session: drops the two functions it added (the app before it calls the
-- two-argument app_enter_tenant of 0007 and checks the session in a statement of its own).
DROP FUNCTION IF EXISTS "app_tenant_session"(uuid, uuid, uuid);--> statement-breakpoint
DROP FUNCTION IF EXISTS "app_enter_tenant"(uuid, uuid, uuid);
