"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/ui/trpc/react";
import type { PendingInvitation } from "./types";
import { ErrorBox } from "@/ui/kit/error-box";
import { useErrorText } from "@/ui/errors/describe";

/** Pending invitations with revoke (removed from the list at once, put back if the server refuses). */
export function InvitationList() {
  const t = useTranslations("team");
  const describe = useErrorText();
  const tRoles = useTranslations("roles");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.team.invitations.queryKey();
  const invitations = useQuery(trpc.team.invitations.queryOptions());
  const revoke = useMutation(
    trpc.team.revokeInvitation.mutationOptions({
      onMutate: async ({ invitationId }) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData<PendingInvitation[]>(key);
        if (previous) queryClient.setQueryData<PendingInvitation[]>(key, previous.filter((i) => i.id !== invitationId));
        return { previous };
      },
      onError: (_e, _v, context) => {
        if (context?.previous) queryClient.setQueryData(key, context.previous);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
    }),
  );

  if (invitations.isPending) return <div className="h-16 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (invitations.isError) return null;
  return (
    <section aria-labelledby="pending-invitations" className="flex flex-col gap-2">
      <h2 id="pending-invitations" className="text-lg font-semibold">
        {t("pending")}
      </h2>
      {revoke.isError && (
        <ErrorBox>
          {t("error", { message: describe(revoke.error) })}
        </ErrorBox>
      )}
      {invitations.data.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noPending")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {invitations.data.map((inv) => {
            const who = inv.email ?? t("anyone");
            return (
              <li key={inv.id} className="flex items-center gap-3 rounded-2xl bg-white p-3 shadow-sm">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">{who}</p>
                  <p className="text-sm text-slate-600">
                    {tRoles(inv.role)}
                    {inv.departments.length > 0 && ` · ${inv.departments.map((d) => d.name).join(", ")}`}
                  </p>
                  <p className="text-xs text-slate-500">
                    {inv.invitedByName ? `${t("invitedBy", { name: inv.invitedByName })} · ` : ""}
                    {t("expires", { date: format.dateTime(new Date(inv.expiresAt), { dateStyle: "medium" }) })}
                  </p>
                </div>
                <button
                  type="button"
                  aria-label={t("revokeLabel", { role: tRoles(inv.role), who })}
                  onClick={() => revoke.mutate({ invitationId: inv.id })}
                  className="h-11 rounded-xl border border-slate-300 px-3 text-sm font-medium"
                >
                  {t("revoke")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
