"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { signOutAction } from "@/server/http/actions/sign-out";
import { useTRPC } from "@/ui/trpc/react";
import { ErrorBox } from "@/ui/kit/error-box";

export function ChangePasswordForm() {
  const t = useTranslations("account");
  const tReset = useTranslations("passwordReset");
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      // Every session ended with the change, this one too: clear the cookie and sign in again.
      onSuccess: async (result) => {
        if (result.ok) await signOutAction();
      },
    }),
  );
  const result = change.data;
  let problem: string | null = null;
  if (mismatch) problem = t("password.mismatch");
  else if (change.isError) problem = t("error");
  else if (result && !result.ok) {
    if (result.reason === "wrongCurrent") problem = t("password.wrongCurrent");
    else if (result.reason === "rateLimited") problem = tReset("rateLimited", { seconds: result.retryAfterSeconds });
    else problem = tReset(`problems.${result.check.problem}`, result.check.values);
  }

  return (
    <form
      className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm"
      aria-label={t("password.title")}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const newPassword = String(form.get("newPassword") ?? "");
        const differs = newPassword !== String(form.get("confirm") ?? "");
        setMismatch(differs);
        if (!differs) change.mutate({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword });
      }}
    >
      <h2 className="text-lg font-semibold">{t("password.title")}</h2>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("password.current")}
        <input name="currentPassword" type="password" autoComplete="current-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("password.new")}
        <input name="newPassword" type="password" autoComplete="new-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("password.confirm")}
        <input name="confirm" type="password" autoComplete="new-password" required className="h-12 rounded-lg border border-slate-300 px-3 text-base" />
      </label>
      <p className="text-sm text-slate-600">{t("password.hint")}</p>
      {problem && (
        <ErrorBox>
          {problem}
        </ErrorBox>
      )}
      <button type="submit" disabled={change.isPending} className="h-12 rounded-lg bg-emerald-600 text-base font-semibold text-white disabled:opacity-60">
        {change.isPending ? t("password.submitting") : t("password.submit")}
      </button>
    </form>
  );
}
