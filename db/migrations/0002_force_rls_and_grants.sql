-- FORCE row-level security on every table that has it enabled, so even the owner is bound by the policies,
-- and grant the runtime roles what they need. Written generically and idempotently: later migrations that add
-- tables re-run the same block (see db/migrations/README.md); a test fails if any tenant table is left out.
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO app_user, app_admin', t.relname);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Global tables: the platform path may do everything; tenants see only what a team page needs of a user.
GRANT SELECT, INSERT, UPDATE, DELETE ON public.users, public.password_reset_tokens, public.mail_outbox TO app_admin;
--> statement-breakpoint
REVOKE ALL ON public.users, public.password_reset_tokens, public.mail_outbox FROM app_user;
--> statement-breakpoint
GRANT SELECT (id, email, name, is_active, is_platform_admin, session_version, locale) ON public.users TO app_user;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_user, app_admin;
