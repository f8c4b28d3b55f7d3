import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { sendMail } from "@/server/mail";
import { isLocale, type Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";

/**
 * The e-mail that carries an e-mail-bound invitation's link: the only way that link leaves the server, so opening
 * it proves the address. The same text whether or not the address has an account (the invite page asks an
 * existing account to sign in), so nothing here tells anyone which addresses are registered.
 */
export async function mailInvitation(to: string, info: { restaurantName: string; locale: string; url: string; fromLink: boolean }): Promise<void> {
  const locale: Locale = isLocale(info.locale) ? info.locale : "en";
  const translate = createTranslator({ locale, messages: (await loadMessages(locale)) as AbstractIntlMessages });
  const t = (key: string) => translate(`invite.mail.${key}` as never, { restaurant: info.restaurantName, url: info.url } as never);
  await sendMail({ to, subject: t("subject"), text: t(info.fromLink ? "textFromLink" : "text") });
}
