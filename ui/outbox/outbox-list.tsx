import { getFormatter, getTranslations } from "next-intl/server";
import type { OutboxMail } from "@/server/mail/outbox";

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Plain text with its URLs as links (the text is rendered as text, never as HTML). */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all font-medium text-emerald-700 underline">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

export async function OutboxList({ mails }: { mails: OutboxMail[] }) {
  const t = await getTranslations("outbox");
  const format = await getFormatter();
  if (mails.length === 0) return <p className="rounded-lg bg-slate-50 p-4 text-sm text-slate-600">{t("empty")}</p>;
  return (
    <ul className="flex flex-col gap-3" aria-label={t("title")}>
      {mails.map((m) => (
        <li key={m.id}>
          <article className="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm" aria-label={m.subject}>
            <h2 className="text-base font-semibold">{m.subject}</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-sm text-slate-600">
              <dt>{t("to")}</dt>
              <dd className="break-all">{m.to}</dd>
              <dt>{t("sentAt")}</dt>
              <dd>
                <time dateTime={m.createdAt.toISOString()}>{format.dateTime(m.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</time>
              </dd>
            </dl>
            <p className="whitespace-pre-wrap text-sm">
              <Linkified text={m.text} />
            </p>
          </article>
        </li>
      ))}
    </ul>
  );
}
