"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { signOutAction } from "@/server/http/actions/sign-out";
import { useTRPC } from "@/ui/trpc/react";

export function SignOutEverywhere() {
  const t = useTranslations("account");
  const trpc = useTRPC();
  const end = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      // The server already ended every session; this clears this browser's cookie and goes to sign-in.
      onSuccess: () => signOutAction(),
    }),
  );
  return (
    <section className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 className="text-lg font-semibold">{t("sessions.title")}</h2>
      <p className="text-sm text-slate-600">{t("sessions.description")}</p>
      {end.isError && (
        <p role="alert" className="text-sm text-red-700">
          {t("error")}
        </p>
      )}
      <button
        type="button"
        disabled={end.isPending}
        onClick={() => end.mutate()}
        className="h-12 rounded-lg border border-red-300 text-base font-semibold text-red-700 disabled:opacity-60"
      >
        {end.isPending ? t("sessions.working") : t("sessions.button")}
      </button>
    </section>
  );
}
