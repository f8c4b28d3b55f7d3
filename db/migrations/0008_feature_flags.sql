CREATE TABLE "feature_flags" (
	"key" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"restaurant_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feature_flags" ADD CONSTRAINT "feature_flags_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Hand-written: flags are checked inside tenant transactions (read only) and set by platform admins.
GRANT SELECT ON public.feature_flags TO app_user;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON public.feature_flags TO app_admin;
