"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Sheet } from "@/ui/kit/dialog";

/** The longest note the server takes (server/checklist: text(1000)). */
export const NOTE_MAX = 1000;

/** Confirmation with an optional note: a note over the limit is refused with a counter, never cut silently. */
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
  const counterId = useId();
  const tooLong = note.length > NOTE_MAX;

  return (
    <Sheet open={props.open} title={t("submitTitle")} onClose={props.onClose}>
      <form
        method="dialog"
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!tooLong) props.onConfirm(note);
        }}
      >
        <p className="text-sm text-slate-700">{t("submitSummary", { count: props.lineCount, department: props.departmentName })}</p>
        <label htmlFor={noteId} className="text-sm font-medium">
          {t("note")}
        </label>
        <textarea
          id={noteId}
          value={note}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t("notePlaceholder")}
          aria-invalid={tooLong}
          aria-describedby={counterId}
          className="rounded-xl border border-slate-300 p-3 text-base aria-[invalid=true]:border-red-500"
        />
        <p id={counterId} data-testid="note-counter" className={tooLong ? "text-sm font-medium text-red-700" : "text-sm text-slate-500"} aria-live="polite">
          {tooLong ? t("noteTooLong", { max: NOTE_MAX, over: note.length - NOTE_MAX }) : t("noteCounter", { count: note.length, max: NOTE_MAX })}
        </p>
        {props.error && (
          <p role="alert" className="text-sm text-red-700">
            {props.error}
          </p>
        )}
        <div className="flex gap-2">
          <button type="button" onClick={props.onClose} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
            {t("cancel")}
          </button>
          <button type="submit" disabled={props.pending || tooLong} className="h-12 flex-1 rounded-xl bg-emerald-600 font-semibold text-white disabled:bg-emerald-300">
            {props.pending ? t("submitting") : t("confirm")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
