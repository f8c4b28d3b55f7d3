"use client";

import { Select } from "@/ui/kit/input";

export interface SupplierOption {
  id: string;
  name: string;
}

/**
 * The one supplier picker: "none" first (its label says what none means here), then the chosen supplier if the
 * list no longer has it (archived), then the active suppliers. Answers null for none.
 */
export function SupplierSelect({
  suppliers,
  value,
  onChange,
  noneLabel,
  chosenName,
  className,
  ...rest
}: {
  suppliers: readonly SupplierOption[] | undefined;
  value: string | null;
  onChange: (supplierId: string | null) => void;
  noneLabel: string;
  /** The chosen supplier's name, shown when it is not among `suppliers`. */
  chosenName?: string | null;
  className?: string;
  "aria-label"?: string;
  id?: string;
}) {
  const missing = value !== null && value !== "" && !suppliers?.some((s) => s.id === value);
  return (
    <Select {...rest} className={className} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">{noneLabel}</option>
      {missing && chosenName ? <option value={value}>{chosenName}</option> : null}
      {suppliers?.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </Select>
  );
}
