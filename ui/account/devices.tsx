"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { signOutAction } from "@/server/http/actions/sign-out";
import { useTRPC } from "@/ui/trpc/react";

/** The signed-in devices with "sign out" on each: signing this device out also clears its cookie. */
export function Devices() {
  const t = useTranslations("account.devices");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const devices = useQuery(trpc.account.devices.queryOptions());
  const end = useMutation(
    trpc.account.signOutDevice.mutationOptions({
      onSuccess: async (result) => {
        if (result.current) return signOutAction();
        await queryClient.invalidateQueries({ queryKey: trpc.account.devices.queryKey() });
      },
    }),
  );
  return (
    <section aria-labelledby="devices-title" className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="devices-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      {devices.isPending && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {(devices.isError || end.isError) && (
        <p role="alert" className="text-sm text-red-700">
          {t("error")}
        </p>
      )}
      {devices.data && (
        <ul className="flex flex-col divide-y divide-slate-100">
          {devices.data.map((d) => (
            <li key={d.id} aria-label={d.deviceLabel || t("unknownDevice")} className="flex items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="font-medium">
                  {d.deviceLabel || t("unknownDevice")}
                  {d.current && <span className="ml-2 rounded bg-emerald-50 px-2 py-0.5 text-xs font-semibold text-emerald-700">{t("thisDevice")}</span>}
                </p>
                <p className="text-sm text-slate-500">
                  {t("lastSeen", { when: format.dateTime(d.lastSeenAt, { dateStyle: "medium", timeStyle: "short" }) })}
                  {d.ip ? ` · ${d.ip}` : ""}
                </p>
              </div>
              <button
                type="button"
                disabled={end.isPending}
                onClick={() => end.mutate({ id: d.id })}
                className="h-11 shrink-0 rounded-lg border border-slate-300 px-3 text-sm font-semibold text-slate-700 disabled:opacity-60"
              >
                {t("signOut")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
