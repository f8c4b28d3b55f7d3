"use client";

import { useId } from "react";
import { cn } from "./cn";

export interface FieldControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

/**
 * One label per field, its error (or hint) under it and tied to the control (aria-describedby, aria-invalid), so a
 * screen reader and the eye find the message next to what it concerns.
 */
export function Field(props: { label: React.ReactNode; error?: string | null; hint?: React.ReactNode; className?: string; children: (control: FieldControlProps) => React.ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1", props.className)}>
      <label htmlFor={id} className="text-sm font-medium">
        {props.label}
      </label>
      {props.children({ id, "aria-invalid": !!props.error, "aria-describedby": describedBy })}
      {props.hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
