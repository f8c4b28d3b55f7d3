import { and, eq } from "drizzle-orm";
import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { withPlatform } from "@/db/scope";
import { memberships, restaurants, users } from "@/db/schema";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail";
import { isLocale, type Locale } from "@/i18n/locales";
import { loadMessages } from "@/i18n/messages";

async function translator(locale: Locale) {
  const translate = createTranslator({ locale, messages: (await loadMessages(locale)) as AbstractIntlMessages });
  return (key: string, values?: Record<string, string>) => translate(`posterConnect.mail.${key}` as never, values as never);
}

const signInUrl = () => new URL("/sign-in", env().APP_URL).toString();

/**
 * The owner of a restaurant just created from Poster, who was not signed in: a link to set a first password, or
 * (an existing account) a notice to sign in. Only ever by e-mail to the address Poster reported.
 */
export async function mailNewOwner(userId: string, info: { restaurantName: string; locale: Locale; setupUrl: string | null }): Promise<void> {
  const [user] = await withPlatform("mail", (tx) => tx.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)));
  if (!user) return;
  const t = await translator(isLocale(user.locale) ? user.locale : info.locale);
  const values = { restaurant: info.restaurantName, url: info.setupUrl ?? signInUrl() };
  await sendMail({
    to: user.email,
    subject: t("newOwnerSubject", values),
    text: t(info.setupUrl ? "newOwnerSetupText" : "newOwnerNoticeText", values),
  });
}

/** Someone who is not a signed-in owner completed Poster's OAuth for a connected restaurant: its owners are told. */
export async function mailOwnersConnectRefused(restaurantId: string, info: { signedIn: boolean; at: Date }): Promise<void> {
  const { restaurant, owners } = await withPlatform("mail", async (tx) => {
    const [r] = await tx.select({ name: restaurants.name, locale: restaurants.locale, timezone: restaurants.timezone }).from(restaurants).where(eq(restaurants.id, restaurantId));
    const o = await tx
      .select({ email: users.email, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.role, "owner"), eq(memberships.isActive, true), eq(users.isActive, true)));
    return { restaurant: r, owners: o };
  });
  if (!restaurant) return;
  for (const owner of owners) {
    const locale = isLocale(owner.locale) ? owner.locale : restaurant.locale;
    const t = await translator(locale);
    const at = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: restaurant.timezone }).format(info.at);
    const values = { restaurant: restaurant.name, at };
    await sendMail({ to: owner.email, subject: t("refusedSubject", values), text: t(info.signedIn ? "refusedTextSignedIn" : "refusedTextAnonymous", values) });
  }
}
