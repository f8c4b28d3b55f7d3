"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import { getLocale } from "next-intl/server";
import { requestPasswordReset, resetRequestSchema } from "@/server/accounts/password-reset";
import { clientAddress } from "@/server/security/client-address";
import { isLocale } from "@/i18n/locales";

export type ForgotState =
  | { status: "idle" }
  | { status: "invalidEmail" }
  | { status: "sent"; email: string }
  | { status: "rateLimited"; retryAfterSeconds: number };

export async function requestResetAction(_prev: ForgotState, form: FormData): Promise<ForgotState> {
  const parsed = resetRequestSchema.safeParse({ email: String(form.get("email") ?? "") });
  if (!parsed.success) return { status: "invalidEmail" };
  const locale = await getLocale();
  const result = await requestPasswordReset(parsed.data, {
    ip: clientAddress(await headers()),
    locale: isLocale(locale) ? locale : "ru",
    // The lookup and the mail run after the response: its timing says nothing about the account.
    defer: (work) => after(work),
  });
  return result.ok ? { status: "sent", email: parsed.data.email } : { status: "rateLimited", retryAfterSeconds: result.retryAfterSeconds };
}
