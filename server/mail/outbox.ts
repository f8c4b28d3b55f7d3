import { desc } from "drizzle-orm";
import { withPlatform } from "@/db/scope";
import { mailOutbox } from "@/db/schema";
import { env } from "@/server/env";

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

/**
 * The local outbox page exists only while mail is not really sent (no SMTP_URL): in development, in a production
 * build that opts in (MAIL_OUTBOX_PUBLIC=true, the e2e server), or for a platform admin. It shows reset links,
 * so a real deployment never exposes it to the public.
 */
export function outboxVisible(viewer: { isPlatformAdmin: boolean } | null): boolean {
  const e = env();
  if (e.SMTP_URL) return false;
  return e.NODE_ENV !== "production" || e.MAIL_OUTBOX_PUBLIC === "true" || !!viewer?.isPlatformAdmin;
}

export async function listOutbox(limit = 50): Promise<OutboxMail[]> {
  return withPlatform("mail", (tx) =>
    tx
      .select({ id: mailOutbox.id, to: mailOutbox.to, subject: mailOutbox.subject, text: mailOutbox.text, createdAt: mailOutbox.createdAt })
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(limit),
  );
}
