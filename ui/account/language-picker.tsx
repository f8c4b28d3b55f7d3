"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import type { Locale } from "@/vocabulary/constants";
import { ChoiceGroup } from "@/ui/kit/choice";

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
      <ChoiceGroup look="box" label={t("language.label")} options={options} value={locale} onChange={(value) => save.mutate({ locale: value })} disabled={save.isPending} />
      {save.isError && (
        <p role="alert" className="text-sm text-red-700">
          {t("error")}
        </p>
      )}
    </section>
  );
}
