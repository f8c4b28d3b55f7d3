"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { requestResetAction, type ForgotState } from "@/server/http/actions/forgot-password";
import { ErrorBox, SuccessBox } from "@/ui/kit/error-box";
import { useFormAction } from "./use-form-action";

const initial: ForgotState = { status: "idle" };

export function ForgotPasswordForm() {
  const t = useTranslations("passwordReset");
  const tErrors = useTranslations("errors");
  const { state, formAction: action, pending, offline } = useFormAction(requestResetAction, initial);
  return (
    <form action={action} className="flex flex-col gap-4 rounded-2xl bg-white p-6 shadow-sm" aria-label={t("forgotTitle")}>
      <h1 className="text-2xl font-semibold">{t("forgotTitle")}</h1>
      <p className="text-sm text-slate-600">{t("forgotIntro")}</p>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("email")}
        <input name="email" type="email" autoComplete="username" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      {state.status === "sent" && (
        <SuccessBox>
          {t("sent", { email: state.email })}
        </SuccessBox>
      )}
      {(state.status === "rateLimited" || state.status === "invalidEmail") && (
        <ErrorBox>
          {state.status === "rateLimited" ? t("rateLimited", { seconds: state.retryAfterSeconds }) : t("invalidEmail")}
        </ErrorBox>
      )}
      {offline && <ErrorBox testId="offline">{tErrors("network")}</ErrorBox>}
      <button type="submit" disabled={pending} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {pending ? t("sending") : t("send")}
      </button>
      <Link href="/sign-in" className="flex h-11 items-center justify-center text-sm font-medium text-emerald-700">
        {t("backToSignIn")}
      </Link>
    </form>
  );
}
