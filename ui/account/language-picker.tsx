"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import type { Locale } from "@/vocabulary/constants";

type Choice = Locale | null;

export function LanguagePicker({ locale }: { locale: Choice }) {
  const t = useTranslations("account");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const meKey = trpc.account.me.queryKey();
  const save = useMutation(
    trpc.account.setLocale.mutationOptions({
      // Optimistic: the choice shows at once and rolls back if the server refuses.
      onMutate: async ({ locale: next }) => {
        await queryClient.cancelQueries({ queryKey: meKey });
        const previous = queryClient.getQueryData(meKey);
        if (previous) queryClient.setQueryData(meKey, { ...previous, locale: next });
        return { previous };
      },
      onError: (_err, _input, context) => {
        if (context?.previous) queryClient.setQueryData(meKey, context.previous);
      },
      // Every text on the page comes from the server in the new language.
      onSuccess: () => router.refresh(),
      onSettled: () => queryClient.invalidateQueries({ queryKey: meKey }),
    }),
  );
  const options: { value: Choice; label: string }[] = [
    { value: null, label: t("language.restaurant") },
    { value: "ru", label: t("language.ru") },
    { value: "en", label: t("language.en") },
  ];
  return (
    <section className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 className="text-lg font-semibold">{t("language.title")}</h2>
      <div role="radiogroup" aria-label={t("language.label")} className="flex flex-wrap gap-2">
        {options.map((o) => (
          <button
            key={o.value ?? "restaurant"}
            type="button"
            role="radio"
            aria-checked={locale === o.value}
            disabled={save.isPending}
            onClick={() => save.mutate({ locale: o.value })}
            className={`h-11 rounded-lg border px-4 text-sm font-medium ${locale === o.value ? "border-emerald-600 bg-emerald-50 text-emerald-800" : "border-slate-300 text-slate-700"}`}
          >
            {o.label}
          </button>
        ))}
      </div>
      {save.isError && (
        <p role="alert" className="text-sm text-red-700">
          {t("error")}
        </p>
      )}
    </section>
  );
}
