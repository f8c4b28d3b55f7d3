"use client";

import { useFormatter, useTranslations } from "next-intl";
import { memo } from "react";
import type { ChecklistProduct } from "@/server/checklist/wire";
import { parseQuantity, stepFor, stepQuantity } from "@/server/checklist/quantity";

export interface ProductRowProps {
  product: ChecklistProduct;
  /** What the input shows: the raw text being typed, else the saved or pending quantity, formatted. */
  text: string;
  /** The current quantity in canonical form ("0" when none). */
  quantity: string;
  serverError: string | null;
  /** Something to know about the saved line (another device had changed it). */
  notice: string | null;
  onType: (productId: string, text: string) => void;
  onSet: (productId: string, quantity: string) => void;
  onBlur: (productId: string) => void;
}

function ProductRowImpl({ product, text, quantity, serverError, notice, onType, onSet, onBlur }: ProductRowProps) {
  const t = useTranslations("checklist");
  const format = useFormatter();
  const num = (value: string) => format.number(Number(value), { maximumFractionDigits: 3 });
  const { explanation: ex } = product;
  const step = stepFor(product.unit);
  const parsed = parseQuantity(text);
  const inputError = parsed.ok ? null : t(`invalid.${parsed.error}`);
  const errorId = `qty-error-${product.productId}`;
  const hasQuantity = quantity !== "0";

  return (
    <li
      className={`rounded-2xl border bg-white p-3 shadow-sm [contain-intrinsic-size:auto_11rem] [content-visibility:auto] ${hasQuantity ? "border-emerald-400" : "border-transparent"}`}
      data-testid="checklist-row"
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-base font-semibold leading-tight">{product.name}</h3>
          <p className="truncate text-xs text-slate-500">{[product.category?.name, product.supplier?.name].filter(Boolean).join(" · ")}</p>
        </div>
        <span className="shrink-0 text-sm text-slate-500">{product.unit}</span>
      </div>

      <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <div className="flex gap-1">
          <dt className="text-slate-500">{t("stock")}:</dt>
          <dd>
            {product.stock === null ? (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">{t("noStock")}</span>
            ) : (
              <span
                className={ex.stockNegative ? "text-red-700" : undefined}
                title={product.stockSyncedAt ? t("stockSyncedAt", { date: format.dateTime(product.stockSyncedAt, { dateStyle: "short", timeStyle: "short" }) }) : undefined}
              >
                {num(product.stock)}
              </span>
            )}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">{t("par")}:</dt>
          <dd>{product.parLevel === null ? <span className="text-slate-400">{t("noPar")}</span> : num(product.parLevel)}</dd>
        </div>
        {product.onOrder !== "0" && (
          <div className="flex gap-1">
            <dt className="text-slate-500">{t("onOrder")}:</dt>
            <dd>{num(product.onOrder)}</dd>
          </div>
        )}
      </dl>

      <div className="mt-2 flex flex-wrap items-center gap-2">
        {product.suggested !== null && (
          <>
            <span className="text-sm">
              {t("suggested")}: <strong>{num(product.suggested)}</strong>
            </span>
            {product.suggested !== "0" && product.suggested !== quantity && (
              <button
                type="button"
                onClick={() => onSet(product.productId, product.suggested!)}
                aria-label={t("useSuggestionFor", { name: product.name, quantity: num(product.suggested), unit: product.unit })}
                className="h-11 rounded-lg bg-emerald-50 px-3 text-sm font-medium text-emerald-800 active:bg-emerald-100"
              >
                {t("useSuggestion")}
              </button>
            )}
          </>
        )}
        <details className="text-sm">
          <summary className="flex h-11 cursor-pointer items-center px-2 text-slate-600 underline" aria-label={t("whyFor", { name: product.name })}>
            {t("why")}
          </summary>
          <div className="mt-1 rounded-lg bg-slate-50 p-2 text-slate-700">
            {ex.parMissing ? (
              <p>{t("parMissingNote")}</p>
            ) : (
              <>
                <p className="font-mono text-[0.8rem]">
                  {t("formula", { par: num(ex.par!), stock: num(ex.stockUsed), onOrder: num(ex.onOrder), suggested: num(ex.suggested!) })}
                </p>
                {ex.suggested === "0" && <p>{t("formulaClamped")}</p>}
              </>
            )}
            {ex.stockMissing && <p>{t("stockMissingNote")}</p>}
            {ex.stockNegative && <p>{t("stockNegativeNote", { stock: num(ex.stock!) })}</p>}
          </div>
        </details>
      </div>

      <div className="mt-2 flex items-center gap-2">
        <button
          type="button"
          onClick={() => onSet(product.productId, stepQuantity(text, step, -1))}
          aria-label={t("decrease", { name: product.name })}
          className="h-12 w-12 shrink-0 rounded-xl bg-slate-100 text-2xl font-semibold active:bg-slate-200 disabled:opacity-40"
          disabled={!hasQuantity && parsed.ok}
        >
          −
        </button>
        <input
          type="text"
          inputMode="decimal"
          autoComplete="off"
          enterKeyHint="done"
          aria-label={t("quantityFor", { name: product.name })}
          aria-invalid={inputError || serverError ? true : undefined}
          aria-describedby={inputError || serverError ? errorId : undefined}
          value={text}
          placeholder="0"
          onChange={(e) => onType(product.productId, e.target.value)}
          onBlur={() => onBlur(product.productId)}
          onFocus={(e) => e.target.select()}
          className="h-12 min-w-0 flex-1 rounded-xl border border-slate-300 px-3 text-center text-lg tabular-nums aria-[invalid=true]:border-red-500"
        />
        <button
          type="button"
          onClick={() => onSet(product.productId, stepQuantity(text, step, 1))}
          aria-label={t("increase", { name: product.name })}
          className="h-12 w-12 shrink-0 rounded-xl bg-slate-100 text-2xl font-semibold active:bg-slate-200"
        >
          +
        </button>
      </div>
      {notice && !inputError && !serverError && (
        <p role="status" data-testid="replaced-notice" className="mt-1 text-sm text-amber-800">
          {notice}
        </p>
      )}
      {(inputError || serverError) && (
        <p id={errorId} role="alert" className="mt-1 text-sm text-red-700">
          {inputError ?? t("lineError", { message: serverError! })}
        </p>
      )}
    </li>
  );
}

export const ProductRow = memo(ProductRowImpl);
