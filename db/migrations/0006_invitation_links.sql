ALTER TABLE "invitations" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
CREATE INDEX "invitations_parent_idx" ON "invitations" USING btree ("restaurant_id","parent_id");