"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { resetPasswordAction, type ResetState } from "@/server/http/actions/reset-password";
import { useFormAction } from "./use-form-action";
import { ErrorBox } from "@/ui/kit/error-box";

const initial: ResetState = { error: null };

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("passwordReset");
  const tErrors = useTranslations("errors");
  const { state, formAction: action, pending, offline } = useFormAction(resetPasswordAction, initial);
  return (
    <form action={action} className="flex flex-col gap-4 rounded-2xl bg-white p-6 shadow-sm" aria-label={t("resetTitle")}>
      <h1 className="text-2xl font-semibold">{t("resetTitle")}</h1>
      <input type="hidden" name="token" value={token} />
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("newPassword")}
        <input name="password" type="password" autoComplete="new-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("confirmPassword")}
        <input name="confirm" type="password" autoComplete="new-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {state.error && (
        <div role="alert" className="flex flex-col gap-2 rounded-lg bg-red-50 p-3 text-sm text-red-700">
          {state.error === "weak" && t(`problems.${state.check.problem}`, state.check.values)}
          {state.error === "mismatch" && t("mismatch")}
          {state.error === "invalidToken" && (
            <>
              {t("invalidLink")}
              <Link href="/forgot-password" className="font-semibold underline">
                {t("requestNew")}
              </Link>
            </>
          )}
        </div>
      )}
      {offline && <ErrorBox testId="offline">{tErrors("network")}</ErrorBox>}
      <button type="submit" disabled={pending} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {pending ? t("saving") : t("save")}
      </button>
    </form>
  );
}
