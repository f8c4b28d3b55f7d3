"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { Sheet } from "@/ui/kit/dialog";
import { fieldsAreComplete, MemberFields, type MemberFieldValues } from "./member-fields";
import type { Department } from "./types";
import { ErrorBox } from "@/ui/kit/error-box";
import { useErrorText } from "@/ui/errors/describe";

const EMPTY: MemberFieldValues = { role: "staff", departmentIds: [], canSend: false, canReceive: false };

/**
 * Invite form. By e-mail: the invitation goes to that address only and the inviter never sees its link. As a
 * shareable link: once created, the link with Copy and WhatsApp share (the only time it is shown); whoever opens
 * it confirms their own address before joining.
 */
export function InviteSheet(props: { open: boolean; onClose: () => void; departments: Department[]; mayGrantOwner: boolean; restaurantName: string }) {
  const t = useTranslations("team");
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<MemberFieldValues>(EMPTY);
  const [kind, setKind] = useState<"email" | "link">("email");
  const [email, setEmail] = useState("");
  const [copied, setCopied] = useState(false);
  const emailId = useId();
  const kindName = useId();
  const linkId = useId();
  const invite = useMutation(
    trpc.team.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.team.invitations.queryKey() }),
    }),
  );
  const reset = () => {
    setFields(EMPTY);
    setEmail("");
    setKind("email");
    setCopied(false);
    invite.reset();
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const url = invite.data?.url;
  const sentTo = invite.data?.sentTo;
  const ready = fieldsAreComplete(fields) && (kind === "link" || email.trim() !== "");

  return (
    <Sheet open={props.open} title={t("inviteTitle")} onClose={close}>
      {sentTo ? (
        <div className="flex flex-col gap-3">
          <p role="status" className="rounded-lg bg-emerald-50 p-3 text-emerald-900">
            {t("sent", { email: sentTo })}
          </p>
          <div className="flex gap-2">
            <button type="button" onClick={reset} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
              {t("inviteAnother")}
            </button>
            <button type="button" onClick={close} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
              {t("done")}
            </button>
          </div>
        </div>
      ) : url ? (
        <div className="flex flex-col gap-3">
          <label htmlFor={linkId} className="text-sm font-medium">
            {t("link")}
          </label>
          <input id={linkId} readOnly value={url} onFocus={(e) => e.currentTarget.select()} className="h-12 rounded-xl border border-slate-300 bg-slate-50 px-3 text-sm" />
          <p className="text-sm text-slate-600">{t("linkHint")}</p>
          <button
            type="button"
            onClick={async () => {
              await navigator.clipboard?.writeText(url).catch(() => undefined);
              setCopied(true);
            }}
            className="h-12 rounded-xl bg-emerald-600 font-semibold text-white"
          >
            {copied ? t("copied") : t("copy")}
          </button>
          <a
            href={`https://wa.me/?text=${encodeURIComponent(t("shareText", { restaurant: props.restaurantName, url }))}`}
            target="_blank"
            rel="noopener noreferrer"
            className="flex h-12 items-center justify-center rounded-xl bg-green-100 font-semibold text-green-900"
          >
            {t("whatsapp")}
          </a>
          <div className="flex gap-2">
            <button type="button" onClick={reset} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
              {t("inviteAnother")}
            </button>
            <button type="button" onClick={close} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
              {t("done")}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!ready) return;
            invite.mutate({ ...fields, email: kind === "email" ? email.trim() : undefined });
          }}
        >
          <MemberFields value={fields} onChange={setFields} departments={props.departments} mayGrantOwner={props.mayGrantOwner} />
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">{t("kind")}</legend>
            {(["email", "link"] as const).map((k) => (
              <label key={k} className="flex items-start gap-3 rounded-xl border border-slate-200 p-3">
                <input type="radio" name={kindName} value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1 h-5 w-5" />
                <span>
                  <span className="block font-medium">{t(k === "email" ? "kindEmail" : "kindLink")}</span>
                  <span className="block text-sm text-slate-600">{t(k === "email" ? "kindEmailHint" : "kindLinkHint")}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {kind === "email" && (
            <div className="flex flex-col gap-1">
              <label htmlFor={emailId} className="text-sm font-medium">
                {t("email")}
              </label>
              <input id={emailId} type="email" required value={email} maxLength={254} onChange={(e) => setEmail(e.target.value)} className="h-12 rounded-xl border border-slate-300 px-3 text-base" />
            </div>
          )}
          {!fieldsAreComplete(fields) && <p className="text-sm text-amber-800">{t("needDepartment")}</p>}
          {invite.isError && (
            <ErrorBox>
              {t("error", { message: describe(invite.error) })}
            </ErrorBox>
          )}
          <div className="flex gap-2">
            <button type="button" onClick={close} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
              {t("cancel")}
            </button>
            <button type="submit" disabled={invite.isPending || !ready} className="h-12 flex-1 rounded-xl bg-emerald-600 font-semibold text-white disabled:bg-emerald-300">
              {invite.isPending ? t("creating") : t(kind === "email" ? "sendInvite" : "createInvite")}
            </button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
