"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";

/** Confirmation with an optional note; a native <dialog> for focus trapping and Escape. */
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
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState("");
  const titleId = useId();
  const noteId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={props.onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl p-0 backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="flex flex-col gap-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm(note);
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {t("submitTitle")}
        </h2>
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
    </dialog>
  );
}
