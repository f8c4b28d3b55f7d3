"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { signInAction, type SignInState } from "@/server/http/actions/sign-in";
import { ErrorBox, SuccessBox } from "@/ui/kit/error-box";
import { useFormAction } from "./use-form-action";

const initial: SignInState = { error: null };

export function SignInForm({ passwordChanged = false }: { passwordChanged?: boolean }) {
  const t = useTranslations("signIn");
  const tReset = useTranslations("passwordReset");
  const tErrors = useTranslations("errors");
  const { state, formAction: action, pending, offline } = useFormAction(signInAction, initial);
  return (
    <form action={action} className="flex flex-col gap-4 rounded-2xl bg-white p-6 shadow-sm" aria-label={t("title")}>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {passwordChanged && !state.error && (
        <SuccessBox>
          {tReset("done")}
        </SuccessBox>
      )}
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("email")}
        <input name="email" type="email" autoComplete="username" required defaultValue={state.email} className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("password")}
        <input name="password" type="password" autoComplete="current-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      {state.error && (
        <ErrorBox>
          {state.error === "rateLimited" ? t("rateLimited", { seconds: state.retryAfterSeconds ?? 60 }) : t("invalid")}
        </ErrorBox>
      )}
      {offline && <ErrorBox testId="offline">{tErrors("network")}</ErrorBox>}
      <button type="submit" disabled={pending} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {pending ? t("submitting") : t("submit")}
      </button>
      <Link href="/forgot-password" className="flex h-11 items-center justify-center text-sm font-medium text-emerald-700">
        {t("forgot")}
      </Link>
    </form>
  );
}
