"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { Button } from "./button";

/**
 * A bottom sheet on phones, a centred dialog on wider screens, on Radix Dialog: focus is trapped and returned,
 * Escape and a tap outside close it, the title names it for screen readers.
 */
export function Sheet(props: { open: boolean; title: string; description?: string; onClose: () => void; children: React.ReactNode }) {
  return (
    <RadixDialog.Root open={props.open} onOpenChange={(open) => (open ? undefined : props.onClose())}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          // Without a description Radix wants aria-describedby explicitly absent.
          {...(props.description ? {} : { "aria-describedby": undefined })}
          className="fixed inset-x-0 bottom-0 z-50 mx-auto flex max-h-[90dvh] w-full max-w-lg flex-col gap-4 overflow-y-auto rounded-t-2xl bg-white p-4 sm:inset-auto sm:left-1/2 sm:top-1/2 sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-2xl"
        >
          <RadixDialog.Title className="text-lg font-semibold">{props.title}</RadixDialog.Title>
          {props.description ? <RadixDialog.Description className="text-sm text-slate-700">{props.description}</RadixDialog.Description> : null}
          {props.children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** "Are you sure?" for what cannot be taken back with one tap: the question, what happens, confirm or cancel. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children?: React.ReactNode;
}) {
  return (
    <Sheet open={props.open} title={props.title} description={props.description} onClose={props.onClose}>
      {props.children}
      <div className="flex gap-2">
        <Button variant="quiet" className="flex-1" onClick={props.onClose}>
          {props.cancelLabel}
        </Button>
        <Button variant={props.danger ? "danger" : "primary"} className="flex-1" disabled={props.pending} onClick={props.onConfirm}>
          {props.confirmLabel}
        </Button>
      </div>
    </Sheet>
  );
}
