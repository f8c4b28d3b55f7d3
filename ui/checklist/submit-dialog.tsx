"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Sheet } from "@/ui/kit/dialog";

/** Confirmation with an optional note. */
export function SubmitDialog(props: {
  open: boolean;
  onClose: () => void;
  onConfirm: (note: string) => void;
  pending: boolean;
  lineCount: number;
  departmentName: string;
  error: string | null;
}) {
  const t = useTranslations("checklist");
  const [note, setNote] = useState("");
  const noteId = useId();

  return (
    <Sheet open={props.open} title={t("submitTitle")} onClose={props.onClose}>
      <form
        method="dialog"
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm(note);
        }}
      >
        <p className="text-sm text-slate-700">{t("submitSummary", { count: props.lineCount, department: props.departmentName })}</p>
        <label htmlFor={noteId} className="text-sm font-medium">
          {t("note")}
        </label>
        <textarea
          id={noteId}
          value={note}
          maxLength={1000}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t("notePlaceholder")}
          className="rounded-xl border border-slate-300 p-3 text-base"
        />
        {props.error && (
          <p role="alert" className="text-sm text-red-700">
            {props.error}
          </p>
        )}
        <div className="flex gap-2">
          <button type="button" onClick={props.onClose} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
            {t("cancel")}
          </button>
          <button type="submit" disabled={props.pending} className="h-12 flex-1 rounded-xl bg-emerald-600 font-semibold text-white disabled:bg-emerald-300">
            {props.pending ? t("submitting") : t("confirm")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
