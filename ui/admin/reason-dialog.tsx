"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/ui/kit/dialog";
import { Textarea } from "@/ui/kit/input";

/**
 * Every admin action asks why (the audit log keeps it beside the admin's name): a short reason, then confirm.
 * `label` is the field's question; the action runs with the trimmed reason.
 */
export function ReasonDialog(props: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  label?: string;
  danger?: boolean;
  pending?: boolean;
  error?: string | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const t = useTranslations("admin");
  const [reason, setReason] = useState("");
  const ok = reason.trim().length >= 3;
  return (
    <ConfirmDialog
      open={props.open}
      title={props.title}
      description={props.description}
      confirmLabel={props.confirmLabel}
      cancelLabel={t("cancel")}
      danger={props.danger ?? false}
      pending={props.pending || !ok}
      onConfirm={() => ok && props.onConfirm(reason.trim())}
      onClose={() => {
        setReason("");
        props.onClose();
      }}
    >
      <label className="flex flex-col gap-1 text-sm font-medium">
        {props.label ?? t("actionReason")}
        <Textarea className="min-h-20" required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {props.error ? (
        <p role="alert" className="rounded-lg bg-red-50 p-2 text-sm text-red-800">
          {props.error}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
