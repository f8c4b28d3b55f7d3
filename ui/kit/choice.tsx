"use client";

import { cn } from "./cn";

const LOOKS = {
  /** Small rounded chips that scroll sideways (filters). */
  chip: "h-8 shrink-0 rounded-full border border-slate-300 bg-white px-3 text-sm aria-checked:border-emerald-700 aria-checked:bg-emerald-700 aria-checked:text-white",
  /** Full-height buttons that wrap (settings). */
  box: "h-11 rounded-lg border border-slate-300 px-4 text-sm font-medium text-slate-700 aria-checked:border-emerald-600 aria-checked:bg-emerald-50 aria-checked:text-emerald-800",
} as const;

/**
 * One choice out of a few, shown side by side: an accessible radiogroup (each option a role="radio" button with
 * aria-checked), styled by `look`. The checklist filters and the language picker.
 */
export function ChoiceGroup<T extends string | null>({
  label,
  options,
  value,
  onChange,
  disabled,
  look = "chip",
  className,
}: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
  look?: keyof typeof LOOKS;
  className?: string;
}) {
  return (
    <div role="radiogroup" aria-label={label} className={cn(look === "chip" ? "flex gap-2 overflow-x-auto" : "flex flex-wrap gap-2", className)}>
      {options.map((o) => (
        <button key={o.value ?? "none"} type="button" role="radio" aria-checked={value === o.value} disabled={disabled} onClick={() => onChange(o.value)} className={LOOKS[look]}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
