"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useErrorText } from "@/ui/errors/describe";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { Sheet } from "@/ui/kit/dialog";
import { fieldsAreComplete, MemberFields, type MemberFieldValues } from "./member-fields";
import type { Department, Member, TeamData } from "./types";
import { ErrorBox } from "@/ui/kit/error-box";

/** Edits a member (optimistically, rolled back on refusal) and deactivates or reactivates them after a confirm. */
export function MemberSheet(props: { member: Member | null; onClose: () => void; departments: Department[]; mayGrantOwner: boolean }) {
  const t = useTranslations("team");
  const member = props.member;
  return (
    <Sheet open={!!member} title={member ? t("editTitle", { name: member.name || member.email }) : ""} onClose={props.onClose}>
      {member && <MemberEditor key={member.membershipId} {...props} member={member} />}
    </Sheet>
  );
}

function MemberEditor(props: { member: Member; onClose: () => void; departments: Department[]; mayGrantOwner: boolean }) {
  const t = useTranslations("team");
  const describe = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { member } = props;
  const [fields, setFields] = useState<MemberFieldValues>({
    role: member.role,
    departmentIds: member.departmentIds,
    canSend: member.canSend,
    canReceive: member.canReceive,
  });
  const [confirming, setConfirming] = useState(false);
  const key = trpc.team.members.queryKey();

  /** Applies a change to the cached list at once; answers how to undo it. */
  const optimistic = async (change: (m: Member) => Member) => {
    await queryClient.cancelQueries({ queryKey: key });
    const previous = queryClient.getQueryData<TeamData>(key);
    if (previous) {
      queryClient.setQueryData<TeamData>(key, {
        ...previous,
        members: previous.members.map((m) => (m.membershipId === member.membershipId ? change(m) : m)),
      });
    }
    return { previous };
  };
  const rollback = (_e: unknown, _v: unknown, context: { previous?: TeamData } | undefined) => {
    if (context?.previous) queryClient.setQueryData(key, context.previous);
  };
  const settle = () => queryClient.invalidateQueries({ queryKey: key });

  const update = useMutation(
    trpc.team.updateMember.mutationOptions({
      onMutate: (input) => optimistic((m) => ({ ...m, ...input })),
      onError: rollback,
      onSuccess: props.onClose,
      onSettled: settle,
    }),
  );
  const setActive = useMutation(
    trpc.team.setMemberActive.mutationOptions({
      onMutate: (input) => optimistic((m) => ({ ...m, isActive: input.active })),
      onError: rollback,
      onSuccess: props.onClose,
      onSettled: settle,
    }),
  );
  const error = update.error ?? setActive.error;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (fieldsAreComplete(fields)) update.mutate({ membershipId: member.membershipId, ...fields });
      }}
    >
      <p className="text-sm text-slate-600">{member.email}</p>
      <MemberFields value={fields} onChange={setFields} departments={props.departments} mayGrantOwner={props.mayGrantOwner} />
      {!fieldsAreComplete(fields) && <p className="text-sm text-amber-800">{t("needDepartment")}</p>}
      {error && (
        <ErrorBox>
          {t("error", { message: describe(error) })}
        </ErrorBox>
      )}
      <div className="flex gap-2">
        <button type="button" onClick={props.onClose} className="h-12 flex-1 rounded-xl bg-slate-100 font-medium">
          {t("cancel")}
        </button>
        <button type="submit" disabled={update.isPending || !fieldsAreComplete(fields)} className="h-12 flex-1 rounded-xl bg-emerald-600 font-semibold text-white disabled:bg-emerald-300">
          {update.isPending ? t("saving") : t("save")}
        </button>
      </div>
      {!member.isYou &&
        (member.isActive ? (
          confirming ? (
            <div role="alertdialog" aria-label={t("deactivate")} className="flex flex-col gap-2 rounded-xl bg-red-50 p-3">
              <p className="text-sm text-red-900">{t("deactivateConfirm", { name: member.name || member.email })}</p>
              <div className="flex gap-2">
                <button type="button" onClick={() => setConfirming(false)} className="h-11 flex-1 rounded-xl bg-white font-medium">
                  {t("cancel")}
                </button>
                <button
                  type="button"
                  disabled={setActive.isPending}
                  onClick={() => setActive.mutate({ membershipId: member.membershipId, active: false })}
                  className="h-11 flex-1 rounded-xl bg-red-700 font-semibold text-white disabled:opacity-60"
                >
                  {t("confirmDeactivate")}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} className="h-12 rounded-xl border border-red-300 font-medium text-red-700">
              {t("deactivate")}
            </button>
          )
        ) : (
          <button
            type="button"
            disabled={setActive.isPending}
            onClick={() => setActive.mutate({ membershipId: member.membershipId, active: true })}
            className="h-12 rounded-xl border border-emerald-300 font-medium text-emerald-800"
          >
            {t("reactivate")}
          </button>
        ))}
    </form>
  );
}
