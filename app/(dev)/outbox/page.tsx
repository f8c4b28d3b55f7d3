import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/server/auth/session";
import { listOutbox, outboxVisible } from "@/server/mail/outbox";
import { OutboxList } from "@/ui/outbox/outbox-list";

export const dynamic = "force-dynamic";
// Links carry tokens: keep them out of Referer headers and search engines.
export const metadata: Metadata = { referrer: "no-referrer", robots: { index: false, follow: false } };

export default async function OutboxPage() {
  if (!outboxVisible(await getCurrentUser())) notFound();
  const t = await getTranslations("outbox");
  const mails = await listOutbox();
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 p-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <OutboxList mails={mails} />
    </main>
  );
}
