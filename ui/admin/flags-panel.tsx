"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useErrorText } from "@/ui/errors/describe";
import { useState } from "react";
import { useTRPC } from "@/ui/trpc/react";
import type { FlagKey, FlagRule } from "@/server/flags/rules";

type Mode = FlagRule["mode"];
const MODES: Mode[] = ["on", "off", "restaurants", "percent"];

/** Feature flags: each one's rule (on, off, some restaurants, a share of them), where it comes from, and a form. */
export function FlagsPanel() {
  const t = useTranslations("admin.flags");
  const trpc = useTRPC();
  const flags = useQuery(trpc.admin.flags.queryOptions());
  const restaurants = useQuery(trpc.admin.restaurantNames.queryOptions());
  if (flags.isPending) return <div className="h-20 animate-pulse rounded-2xl bg-slate-200" aria-busy="true" />;
  if (flags.isError) return <p role="alert" className="rounded-2xl bg-red-50 p-4 text-red-800">{t("loadError")}</p>;
  const names = new Map((restaurants.data ?? []).map((r) => [r.id, r.name]));
  return (
    <section aria-labelledby="flags-title" className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm">
      <h2 id="flags-title" className="font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      <ul className="flex flex-col gap-3">
        {flags.data.map((f) => (
          <FlagRow key={f.key} flag={f} names={names} />
        ))}
      </ul>
    </section>
  );
}

interface FlagView { key: FlagKey; rule: FlagRule; source: "environment" | "admin" | "default"; updatedAt: string | null }

function FlagRow({ flag, names }: { flag: FlagView; names: Map<string, string> }) {
  const t = useTranslations("admin.flags");
  const describe = useErrorText();
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(flag.rule.mode);
  const [percent, setPercent] = useState(flag.rule.mode === "percent" ? flag.rule.percent : 10);
  const [ids, setIds] = useState<string[]>(flag.rule.mode === "restaurants" ? flag.rule.restaurantIds : []);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const save = useMutation(
    trpc.admin.setFlag.mutationOptions({
      onSuccess: (r) => setMessage({ tone: "ok", text: r.postingsQueued > 0 ? t("savedQueued", { count: r.postingsQueued }) : t("saved") }),
      onError: (err) => setMessage({ tone: "error", text: describe(err) }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.flags.queryKey() }),
    }),
  );
  const rule: FlagRule = mode === "percent" ? { mode, percent } : mode === "restaurants" ? { mode, restaurantIds: ids } : { mode };
  const locked = flag.source === "environment";
  const summary =
    flag.rule.mode === "restaurants"
      ? t("summary.restaurants", { count: flag.rule.restaurantIds.length, names: flag.rule.restaurantIds.map((id) => names.get(id) ?? id).join(", ") })
      : flag.rule.mode === "percent"
        ? t("summary.percent", { percent: flag.rule.percent })
        : t(`summary.${flag.rule.mode}`);
  return (
    <li data-testid={`flag-${flag.key}`} className="rounded-xl border border-slate-200 p-3">
      <p className="font-medium">{t(`names.${flag.key.replace(".", "_")}`)}</p>
      <p className="text-sm text-slate-600">{t(`descriptions.${flag.key.replace(".", "_")}`)}</p>
      <p className="mt-1 text-sm" data-testid="flag-summary">
        {summary} · {t(`source.${flag.source}`)}
        {flag.updatedAt ? ` · ${t("updated", { when: format.relativeTime(new Date(flag.updatedAt)) })}` : ""}
      </p>
      {locked ? (
        <p className="mt-1 text-sm text-slate-600">{t("locked")}</p>
      ) : (
        <form
          className="mt-2 flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ key: flag.key, rule });
          }}
        >
          <label className="flex items-center gap-2 text-sm">
            {t("mode")}
            <select className="h-11 rounded-lg border border-slate-300 px-2" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              {MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`modes.${m}`)}
                </option>
              ))}
            </select>
          </label>
          {mode === "percent" && (
            <label className="flex items-center gap-2 text-sm">
              {t("percent")}
              <input className="h-11 w-24 rounded-lg border border-slate-300 px-2" type="number" min={0} max={100} value={percent} onChange={(e) => setPercent(Math.max(0, Math.min(100, Math.round(Number(e.target.value) || 0))))} />
            </label>
          )}
          {mode === "restaurants" && (
            <fieldset className="flex flex-col gap-1 text-sm">
              <legend>{t("restaurantsLegend", { count: ids.length })}</legend>
              {[...names].map(([id, name]) => (
                <label key={id} className="flex items-center gap-2">
                  <input type="checkbox" checked={ids.includes(id)} onChange={(e) => setIds((cur) => (e.target.checked ? [...cur, id] : cur.filter((x) => x !== id)))} />
                  {name}
                </label>
              ))}
            </fieldset>
          )}
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={save.isPending} className="h-11 rounded-lg bg-emerald-600 px-4 font-semibold text-white disabled:opacity-50">
              {t("save")}
            </button>
            {flag.source === "admin" && (
              <button type="button" disabled={save.isPending} className="h-11 rounded-lg px-4 font-medium text-slate-700 underline" onClick={() => save.mutate({ key: flag.key, rule: null })}>
                {t("reset")}
              </button>
            )}
          </div>
          {message && (
            <p role={message.tone === "error" ? "alert" : "status"} className={`text-sm ${message.tone === "error" ? "text-red-800" : "text-emerald-800"}`}>
              {message.text}
            </p>
          )}
        </form>
      )}
    </li>
  );
}
