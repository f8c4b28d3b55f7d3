"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import { InvitationList } from "./invitation-list";
import { InviteSheet } from "./invite-sheet";
import { MemberSheet } from "./member-sheet";
import type { Department, Member } from "./types";
import { LoadError } from "@/ui/errors/load-error";
import { useCurrentRestaurant } from "@/ui/kit/hooks";

/** The team page: members with role, departments and capabilities; invitations. */
export function TeamScreen() {
  const t = useTranslations("team");
  const trpc = useTRPC();
  const current = useCurrentRestaurant();
  const team = useQuery(trpc.team.members.queryOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);

  if (team.isPending) {
    return (
      <div className="flex flex-col gap-3" aria-busy="true">
        <div className="h-8 w-32 animate-pulse rounded bg-slate-200" />
        <div className="h-20 animate-pulse rounded-2xl bg-slate-200" />
        <div className="h-20 animate-pulse rounded-2xl bg-slate-200" />
      </div>
    );
  }
  if (team.isError) {
    return <LoadError title={t("loadError")} error={team.error} onRetry={() => void team.refetch()} />;
  }

  const { members, departments } = team.data;
  const mayGrantOwner = current.data?.role === "owner";
  const editingMember = members.find((m) => m.membershipId === editing) ?? null;
  return (
    <section className="flex flex-col gap-6">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <button type="button" onClick={() => setInviting(true)} className="h-12 rounded-xl bg-emerald-600 px-4 font-semibold text-white">
          {t("invite")}
        </button>
      </div>

      <InvitationList />

      <section aria-labelledby="team-members" className="flex flex-col gap-2">
        <h2 id="team-members" className="text-lg font-semibold">
          {t("members")}
        </h2>
        {members.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noMembers")}</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {members.map((m) => (
              <MemberRow key={m.membershipId} member={m} departments={departments} onEdit={() => setEditing(m.membershipId)} />
            ))}
          </ul>
        )}
      </section>

      <MemberSheet member={editingMember} onClose={() => setEditing(null)} departments={departments} mayGrantOwner={mayGrantOwner} />
      <InviteSheet
        open={inviting}
        onClose={() => setInviting(false)}
        departments={departments}
        mayGrantOwner={mayGrantOwner}
        restaurantName={current.data?.restaurant.name ?? ""}
      />
    </section>
  );
}

function MemberRow({ member, departments, onEdit }: { member: Member; departments: Department[]; onEdit: () => void }) {
  const t = useTranslations("team");
  const tRoles = useTranslations("roles");
  const names = departments.filter((d) => member.departmentIds.includes(d.id)).map((d) => d.name);
  const name = member.name || member.email;
  return (
    <li className={`flex items-center gap-3 rounded-2xl bg-white p-3 shadow-sm ${member.isActive ? "" : "opacity-60"}`}>
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium">
          {name}
          {member.isYou && <span className="ml-1 text-sm font-normal text-slate-500">({t("you")})</span>}
        </p>
        <p className="truncate text-sm text-slate-600">{member.email}</p>
        <p className="text-sm text-slate-700">
          <span className="font-medium">{tRoles(member.role)}</span>
          {" · "}
          {member.role === "staff" ? (names.length ? names.join(", ") : t("noDepartments")) : t("allDepartments")}
        </p>
        <div className="mt-1 flex flex-wrap gap-1 text-xs">
          {!member.isActive && <span className="rounded-full bg-slate-200 px-2 py-0.5">{t("inactive")}</span>}
          {member.role === "staff" && member.canSend && <span className="rounded-full bg-sky-100 px-2 py-0.5 text-sky-900">{t("canSend")}</span>}
          {member.role === "staff" && member.canReceive && <span className="rounded-full bg-amber-100 px-2 py-0.5 text-amber-900">{t("canReceive")}</span>}
        </div>
      </div>
      {member.canEdit && (
        <button type="button" onClick={onEdit} aria-label={t("edit", { name })} className="h-11 rounded-xl border border-slate-300 px-3 text-sm font-medium">
          {t("editShort")}
        </button>
      )}
    </li>
  );
}
