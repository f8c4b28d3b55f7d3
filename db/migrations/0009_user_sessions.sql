CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text,
	"device_label" text DEFAULT '' NOT NULL,
	"ip" text,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE POLICY "user_sessions_tenant_members" ON "user_sessions" AS PERMISSIVE FOR SELECT TO "app_user" USING (exists (select 1 from memberships m where m.user_id = "user_sessions"."user_id"));--> statement-breakpoint
CREATE POLICY "user_sessions_platform_access" ON "user_sessions" AS PERMISSIVE FOR ALL TO "app_admin" USING (current_user = 'app_admin') WITH CHECK (current_user = 'app_admin');--> statement-breakpoint
-- Written by hand (drizzle-kit generates neither FORCE nor GRANTs): the platform path does everything; the tenant
-- path reads only what the per-request session check needs (no address, no user agent), of its members.
ALTER TABLE "user_sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "user_sessions" TO app_admin;--> statement-breakpoint
GRANT SELECT ("id", "user_id", "last_seen_at", "revoked_at") ON "user_sessions" TO app_user;
