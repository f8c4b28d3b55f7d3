import { createTransport, type Transporter } from "nodemailer";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { mailOutbox } from "@/db/schema";
import { env } from "@/server/env";
import { log } from "@/server/observability/log";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

const messageSchema = z
  .object({
    to: z.email().max(320),
    subject: z.string().min(1).max(500),
    text: z.string().min(1).max(100_000),
    html: z.string().max(500_000).optional(),
  })
  .strict();

let transport: { url: string; transporter: Transporter } | undefined;

function smtp(url: string): Transporter {
  if (transport?.url !== url) transport = { url, transporter: createTransport(url) };
  return transport.transporter;
}

/**
 * Sends over SMTP_URL when set; otherwise the message lands in `mail_outbox` (shown on /outbox) so every flow
 * works in dev and tests. Bodies carry links with tokens: only the recipient's domain and the subject are logged.
 */
export async function sendMail(message: MailMessage): Promise<void> {
  const mail = messageSchema.parse(message);
  const { SMTP_URL, MAIL_FROM } = env();
  const domain = mail.to.split("@")[1];
  if (SMTP_URL) {
    await smtp(SMTP_URL).sendMail({ from: MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    log.info("mail sent", { toDomain: domain, subject: mail.subject });
    return;
  }
  await withPlatform("mail", (tx) =>
    tx.insert(mailOutbox).values({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null }),
  );
  log.info("mail stored in outbox", { toDomain: domain, subject: mail.subject });
}
