"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { SupplierRow } from "@/server/catalog/suppliers";
import { emailInput, phoneInput, telegramInput } from "@/server/catalog/validation";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { inputClass } from "@/ui/kit/input";
import { ErrorBox } from "@/ui/kit/error-box";
import { useErrorText } from "@/ui/errors/describe";
import { SEND_CHANNELS } from "@/vocabulary/constants";

const CHANNELS = SEND_CHANNELS;
type Channel = (typeof CHANNELS)[number];

type FieldErrors = Partial<Record<"name" | "phone" | "email" | "telegram", string>>;

/** Create a local supplier, or edit one: local contacts always; name and address only when Poster does not own them. */
export function SupplierForm({ supplier, onDone }: { supplier: SupplierRow | null; onDone: () => void }) {
  const t = useTranslations("catalog");
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const ownedByPoster = supplier !== null && !supplier.isLocal;
  const [values, setValues] = useState({
    name: supplier?.name ?? "",
    address: supplier?.address ?? "",
    phone: supplier?.phone ?? "",
    email: supplier?.email ?? "",
    telegram: supplier?.telegram ?? "",
    preferredChannel: (supplier?.preferredChannel ?? "") as Channel | "",
    comment: supplier?.comment ?? "",
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const done = {
    onSuccess: async () => {
      await queryClient.invalidateQueries(trpc.catalog.suppliers.list.pathFilter());
      onDone();
    },
  };
  const create = useMutation(trpc.catalog.suppliers.create.mutationOptions(done));
  const update = useMutation(trpc.catalog.suppliers.update.mutationOptions(done));
  const pending = create.isPending || update.isPending;
  const serverError = create.error ?? update.error;

  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!ownedByPoster && values.name.trim() === "") found.name = t("suppliers.nameRequired");
    if (!phoneInput.safeParse(values.phone).success) found.phone = t("suppliers.invalidPhone");
    if (!emailInput.safeParse(values.email).success) found.email = t("suppliers.invalidEmail");
    if (!telegramInput.safeParse(values.telegram).success) found.telegram = t("suppliers.invalidTelegram");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const contacts = {
      phone: values.phone,
      email: values.email,
      telegram: values.telegram,
      preferredChannel: values.preferredChannel || null,
      comment: values.comment,
    };
    const owned = ownedByPoster ? {} : { name: values.name, address: values.address };
    if (supplier) update.mutate({ id: supplier.id, ...contacts, ...owned });
    else create.mutate({ ...contacts, name: values.name, address: values.address });
  };

  const field = (key: keyof FieldErrors | "address" | "comment", label: string, input: React.ReactNode, hint?: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${key}`} className="text-sm font-medium">
        {label}
      </label>
      {input}
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      {key in errors && errors[key as keyof FieldErrors] && (
        <p id={`${id}-${key}-error`} className="text-sm text-red-700">
          {errors[key as keyof FieldErrors]}
        </p>
      )}
    </div>
  );
  const invalid = (key: keyof FieldErrors) => (errors[key] ? { "aria-invalid": true, "aria-describedby": `${id}-${key}-error` } : {});

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 rounded-2xl border-2 border-emerald-200 bg-white p-4" aria-label={supplier ? t("editNamed", { name: supplier.name }) : t("suppliers.new")}>
      {ownedByPoster ? (
        <div className="rounded-lg bg-slate-50 p-3 text-sm">
          <p className="font-semibold">{supplier.name}</p>
          {supplier.address && <p>{supplier.address}</p>}
          {supplier.posterPhone && (
            <p>
              {t("suppliers.posterPhone")}: {supplier.posterPhone}
            </p>
          )}
          <p className="mt-1 text-xs text-slate-500">{t("suppliers.posterOwned")}</p>
        </div>
      ) : (
        <>
          {field("name", t("suppliers.name"), <input id={`${id}-name`} className={inputClass} value={values.name} onChange={set("name")} autoComplete="organization" {...invalid("name")} />)}
          {field("address", t("suppliers.address"), <input id={`${id}-address`} className={inputClass} value={values.address} onChange={set("address")} />)}
        </>
      )}
      {field(
        "phone",
        t("suppliers.phone"),
        <input id={`${id}-phone`} type="tel" inputMode="tel" className={inputClass} value={values.phone} onChange={set("phone")} placeholder={supplier?.posterPhone ?? ""} {...invalid("phone")} />,
        ownedByPoster ? t("suppliers.phoneHint") : undefined,
      )}
      {field("email", t("suppliers.email"), <input id={`${id}-email`} type="email" inputMode="email" className={inputClass} value={values.email} onChange={set("email")} {...invalid("email")} />)}
      {field("telegram", t("suppliers.telegram"), <input id={`${id}-telegram`} className={inputClass} value={values.telegram} onChange={set("telegram")} placeholder="@username" autoCapitalize="none" {...invalid("telegram")} />)}
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-channel`} className="text-sm font-medium">
          {t("suppliers.preferredChannel")}
        </label>
        <select id={`${id}-channel`} className={inputClass} value={values.preferredChannel} onChange={set("preferredChannel")}>
          <option value="">{t("suppliers.noChannel")}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channels.${c}`)}
            </option>
          ))}
        </select>
      </div>
      {field("comment", t("suppliers.comment"), <textarea id={`${id}-comment`} className="min-h-20 rounded-lg border border-slate-300 p-3 text-base" value={values.comment} onChange={set("comment")} />)}
      {serverError && (
        <ErrorBox>
          {describe(serverError)}
        </ErrorBox>
      )}
      <div className="grid grid-cols-2 gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={onDone}>
          {t("cancel")}
        </button>
        <button type="submit" className={buttonClass("primary")} disabled={pending}>
          {pending ? t("saving") : t("save")}
        </button>
      </div>
    </form>
  );
}
