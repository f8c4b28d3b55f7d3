import type { useTranslations } from "next-intl";

type Translate = ReturnType<typeof useTranslations<"admin">>;

/** A key of a translated list, or the raw value when the list does not know it (a kind added later). */
export function label(t: Translate, group: string, value: string | null | undefined): string {
  if (!value) return "—";
  const key = `${group}.${value.replace(/\./g, "_")}`;
  return t.has(key as "title") ? t(key as "title") : value;
}
