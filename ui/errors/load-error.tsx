"use client";

import { useTranslations } from "next-intl";
import { errorInfo, isAccessProblem, useErrorText } from "./describe";

/**
 * A screen or panel that could not load: what failed, then why (offline, our fault, no access, a translated
 * reason). Access problems are also shown screen-wide by AccessGate; retrying them would not help.
 */
export function LoadError({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const t = useTranslations("errors");
  const describe = useErrorText();
  const info = errorInfo(error);
  return (
    <div role="alert" data-testid="load-error" className="rounded-2xl bg-red-50 p-4 text-red-800">
      <p className="font-medium">{title}</p>
      <p className="text-sm">{describe(info)}</p>
      {onRetry && !isAccessProblem(info) ? (
        <button type="button" onClick={onRetry} className="mt-2 h-11 rounded-lg bg-white px-4 font-medium">
          {t("retry")}
        </button>
      ) : null}
    </div>
  );
}
