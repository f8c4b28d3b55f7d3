-- Reverse of 0007_enter_tenant: drops the function (the app before it enters a tenant in three round trips).
DROP FUNCTION IF EXISTS "app_enter_tenant"(uuid, uuid);
