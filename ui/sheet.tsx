"use client";

import { useEffect, useId, useRef } from "react";

/** A bottom sheet on phones, a centred dialog on wider screens; native <dialog> for focus trapping and Escape. */
export function Sheet(props: { open: boolean; title: string; onClose: () => void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
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
      className="mx-auto mb-0 mt-auto max-h-[90dvh] w-full max-w-lg rounded-t-2xl p-0 backdrop:bg-slate-900/40 sm:m-auto sm:rounded-2xl"
    >
      {props.open && (
        <div className="flex flex-col gap-4 p-4">
          <h2 id={titleId} className="text-lg font-semibold">
            {props.title}
          </h2>
          {props.children}
        </div>
      )}
    </dialog>
  );
}
