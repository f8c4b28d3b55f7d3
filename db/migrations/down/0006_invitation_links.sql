-- Reverse of 0006_invitation_links: forgets which shareable link an e-mail-bound invitation came from (such an
-- invitation then stays usable on its own; the link it came from is not used up by it).
DROP INDEX "invitations_parent_idx";--> statement-breakpoint
ALTER TABLE "invitations" DROP COLUMN "parent_id";
