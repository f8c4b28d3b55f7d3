"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import { ChangePasswordForm } from "./change-password-form";
import { Devices } from "./devices";
import { LanguagePicker } from "./language-picker";
import { SignOutEverywhere } from "./sign-out-everywhere";
import { ErrorBox } from "@/ui/kit/error-box";

export function AccountScreen() {
  const t = useTranslations("account");
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {me.isPending && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {me.isError && (
        <ErrorBox>
          {t("error")}
        </ErrorBox>
      )}
      {me.data && (
        <>
          <section className="rounded-2xl bg-white p-4 shadow-sm">
            <p className="text-sm text-slate-500">{t("email")}</p>
            <p className="break-all font-medium">{me.data.email}</p>
          </section>
          <LanguagePicker locale={me.data.locale} />
        </>
      )}
      <ChangePasswordForm />
      <Devices />
      <SignOutEverywhere />
    </div>
  );
}
