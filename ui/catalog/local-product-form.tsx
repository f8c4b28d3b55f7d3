"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { quantityInput } from "@/server/catalog/validation";
import { useTRPC } from "@/ui/trpc/react";
import { buttonClass } from "@/ui/kit/button";
import { useUnitLabel } from "@/ui/kit/hooks";
import { inputClass } from "@/ui/kit/input";
import { ErrorBox } from "@/ui/kit/error-box";
import { useErrorText } from "@/ui/errors/describe";
import { LOCAL_UNITS } from "@/vocabulary/constants";
import { SupplierSelect } from "./supplier-select";

const UNITS = LOCAL_UNITS;

/** A product Poster does not have: name, unit (kg, l, pcs or free text), category, supplier, departments with par levels. */
export function LocalProductForm(props: {
  departments: { id: string; name: string }[];
  defaultDepartmentId: string;
  onCancel: () => void;
  onCreated: () => void;
}) {
  const t = useTranslations("catalog");
  const describe = useErrorText();
  const unitLabel = useUnitLabel();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const categories = useQuery(trpc.catalog.categories.list.queryOptions());
  const suppliers = useQuery(trpc.catalog.suppliers.list.queryOptions({ includeArchived: false }));
  const [name, setName] = useState("");
  const [unit, setUnit] = useState<string>("kg");
  const [customUnit, setCustomUnit] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [supplierId, setSupplierId] = useState("");
  const [placements, setPlacements] = useState<Record<string, string | undefined>>({ [props.defaultDepartmentId]: "" });
  const [problem, setProblem] = useState<string | null>(null);

  const create = useMutation(
    trpc.catalog.products.createLocal.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.catalog.products.byDepartment.pathFilter()),
          queryClient.invalidateQueries(trpc.catalog.categories.list.pathFilter()),
          queryClient.invalidateQueries(trpc.catalog.suppliers.list.pathFilter()),
        ]);
        props.onCreated();
      },
    }),
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const chosen = Object.entries(placements).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const finalUnit = unit === "other" ? customUnit.trim() : unit;
    if (!name.trim() || !finalUnit) return setProblem(t("suppliers.nameRequired"));
    if (chosen.length === 0) return setProblem(t("products.pickDepartment"));
    const departments = [];
    for (const [departmentId, par] of chosen) {
      const parsed = par.trim() === "" ? null : quantityInput.safeParse(par);
      if (parsed && !parsed.success) return setProblem(t("products.invalidQuantity"));
      departments.push({ departmentId, parLevel: parsed ? parsed.data : null });
    }
    setProblem(null);
    create.mutate({ name, unit: finalUnit, categoryId: categoryId || null, supplierId: supplierId || null, departments });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t("products.new")} className="flex flex-col gap-3 rounded-2xl border-2 border-emerald-200 bg-white p-4">
      <h2 className="text-lg font-semibold">{t("products.new")}</h2>
      <p className="text-sm text-slate-600">{t("products.newHint")}</p>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("products.name")}
        <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <div className="grid grid-cols-2 gap-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("products.unit")}
          <select className={inputClass} value={unit} onChange={(e) => setUnit(e.target.value)}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {unitLabel(u)}
              </option>
            ))}
            <option value="other">{t("products.otherUnit")}</option>
          </select>
        </label>
        {unit === "other" && (
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("products.customUnit")}
            <input className={inputClass} value={customUnit} maxLength={20} onChange={(e) => setCustomUnit(e.target.value)} />
          </label>
        )}
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("products.category")}
        <select className={inputClass} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
          <option value="">{t("products.noCategory")}</option>
          {categories.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("products.supplier")}
        <SupplierSelect suppliers={suppliers.data} value={supplierId} onChange={(id) => setSupplierId(id ?? "")} noneLabel={t("products.noSupplier")} />
      </label>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("products.departments")}</legend>
        {props.departments.map((d) => {
          const on = placements[d.id] !== undefined;
          return (
            <div key={d.id} className="grid grid-cols-[1fr_7rem] items-center gap-2">
              <label className="flex h-12 items-center gap-2">
                <input
                  type="checkbox"
                  className="size-5"
                  checked={on}
                  onChange={(e) => setPlacements((p) => ({ ...p, [d.id]: e.target.checked ? "" : undefined }))}
                />
                <span>{t("products.inDepartment", { name: d.name })}</span>
              </label>
              {on && (
                <input
                  id={`${id}-${d.id}`}
                  inputMode="decimal"
                  aria-label={t("products.parIn", { name: d.name })}
                  placeholder={t("products.par")}
                  className={inputClass}
                  value={placements[d.id]}
                  onChange={(e) => setPlacements((p) => ({ ...p, [d.id]: e.target.value }))}
                />
              )}
            </div>
          );
        })}
      </fieldset>
      {(problem || create.error) && (
        <ErrorBox>
          {problem ?? (create.error ? describe(create.error) : null)}
        </ErrorBox>
      )}
      <div className="grid grid-cols-2 gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={props.onCancel}>
          {t("cancel")}
        </button>
        <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
          {create.isPending ? t("saving") : t("products.create")}
        </button>
      </div>
    </form>
  );
}
