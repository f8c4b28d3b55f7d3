"use client";

import { useTranslations } from "next-intl";
import type { Department, Role } from "./types";

export interface MemberFieldValues {
  role: Role;
  departmentIds: string[];
  canSend: boolean;
  canReceive: boolean;
}

/** Role, departments and capabilities: shared by the invite form and the member editor. */
export function MemberFields(props: {
  value: MemberFieldValues;
  onChange: (next: MemberFieldValues) => void;
  departments: Department[];
  /** Managers never make anyone owner; the server refuses it too. */
  mayGrantOwner: boolean;
}) {
  const t = useTranslations("team");
  const tRoles = useTranslations("roles");
  const { value, onChange } = props;
  const roles: Role[] = props.mayGrantOwner ? ["staff", "manager", "owner"] : ["staff", "manager"];
  const toggleDepartment = (id: string, on: boolean) =>
    onChange({ ...value, departmentIds: on ? [...value.departmentIds, id] : value.departmentIds.filter((d) => d !== id) });
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("role")}</legend>
        <div className="grid grid-cols-3 gap-2">
          {roles.map((role) => (
            <label key={role} className="flex h-12 items-center justify-center gap-2 rounded-xl border border-slate-300 px-2 text-base has-[:checked]:border-emerald-600 has-[:checked]:bg-emerald-50">
              <input type="radio" name="role" value={role} checked={value.role === role} onChange={() => onChange({ ...value, role })} className="size-5" />
              {tRoles(role)}
            </label>
          ))}
        </div>
      </fieldset>
      {value.role === "staff" ? (
        <>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">{t("departments")}</legend>
            <p className="text-sm text-slate-600">{t("departmentsHint")}</p>
            {props.departments.length === 0 && <p className="text-sm text-slate-600">{t("noDepartments")}</p>}
            {props.departments.map((d) => (
              <label key={d.id} className="flex h-12 items-center gap-3 rounded-xl border border-slate-200 px-3 text-base">
                <input type="checkbox" checked={value.departmentIds.includes(d.id)} onChange={(e) => toggleDepartment(d.id, e.target.checked)} className="size-5" />
                {d.name}
              </label>
            ))}
          </fieldset>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">{t("capabilities")}</legend>
            <label className="flex h-12 items-center gap-3 rounded-xl border border-slate-200 px-3 text-base">
              <input type="checkbox" checked={value.canSend} onChange={(e) => onChange({ ...value, canSend: e.target.checked })} className="size-5" />
              {t("canSend")}
            </label>
            <label className="flex h-12 items-center gap-3 rounded-xl border border-slate-200 px-3 text-base">
              <input type="checkbox" checked={value.canReceive} onChange={(e) => onChange({ ...value, canReceive: e.target.checked })} className="size-5" />
              {t("canReceive")}
            </label>
          </fieldset>
        </>
      ) : (
        <p className="text-sm text-slate-600">{t("capabilitiesHint")}</p>
      )}
    </>
  );
}

export function fieldsAreComplete(value: MemberFieldValues): boolean {
  return value.role !== "staff" || value.departmentIds.length > 0;
}
