"use client";

import { useFormatter, useTranslations } from "next-intl";
import { memo } from "react";
import type { ChecklistProduct } from "@/server/checklist/wire";
import { parseQuantity, stepFor, stepQuantity } from "@/vocabulary/quantity";
import { useUnitLabel } from "@/ui/kit/hooks";

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
  const unitLabel = useUnitLabel();
  const num = (value: string) => format.number(Number(value), { maximumFractionDigits: 3 });
  const { explanation: ex } = product;
  const step = stepFor(product.unit);
  const parsed = parseQuantity(text);
  const inputError = parsed.ok ? null : t(`invalid.${parsed.error}`);
  const errorId = `qty-error-${product.productId}`;
  const hasQuantity = quantity !== "0";

  return (
    <li
      className={`border-b border-slate-100 bg-white px-3 py-1.5 [contain-intrinsic-size:auto_4.5rem] [content-visibility:auto] ${hasQuantity ? "border-l-4 border-l-emerald-500" : ""}`}
      data-testid="checklist-row"
    >
      <div className="flex items-center gap-2">
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-[0.95rem] font-medium leading-tight">{product.name}</h3>
          <p className="flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
            <span>
              {t("stock")}:{" "}
              {product.stock === null ? (
                <span className="rounded bg-amber-100 px-1 font-medium text-amber-900">{t("noStock")}</span>
              ) : (
                <span
                  className={ex.stockNegative ? "text-red-700" : "text-slate-900"}
                  title={product.stockSyncedAt ? t("stockSyncedAt", { date: format.dateTime(product.stockSyncedAt, { dateStyle: "short", timeStyle: "short" }) }) : undefined}
                >
                  {num(product.stock)}
                </span>
              )}
            </span>
            <span>
              {t("par")}: {product.parLevel === null ? t("noPar") : <span className="text-slate-900">{num(product.parLevel)}</span>}
            </span>
            {product.onOrder !== "0" && (
              <span>
                {t("onOrder")}: <span className="text-slate-900">{num(product.onOrder)}</span>
              </span>
            )}
            <span>{unitLabel(product.unit)}</span>
          </p>
        </div>
        <button
          type="button"
          onClick={() => onSet(product.productId, stepQuantity(text, step, -1))}
          aria-label={t("decrease", { name: product.name })}
          className="h-11 w-11 shrink-0 rounded-lg bg-slate-100 text-xl font-semibold active:bg-slate-200 disabled:opacity-40"
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
          className="h-11 w-16 shrink-0 rounded-lg border border-slate-300 px-1 text-center text-base tabular-nums aria-[invalid=true]:border-red-500"
        />
        <button
          type="button"
          onClick={() => onSet(product.productId, stepQuantity(text, step, 1))}
          aria-label={t("increase", { name: product.name })}
          className="h-11 w-11 shrink-0 rounded-lg bg-slate-100 text-xl font-semibold active:bg-slate-200"
        >
          +
        </button>
      </div>

      <div className="flex flex-wrap items-center gap-x-2 text-xs">
        {product.suggested !== null && (
          <>
            <span>
              {t("suggested")}: <strong>{num(product.suggested)}</strong>
            </span>
            {product.suggested !== "0" && product.suggested !== quantity && (
              <button
                type="button"
                onClick={() => onSet(product.productId, product.suggested!)}
                aria-label={t("useSuggestionFor", { name: product.name, quantity: num(product.suggested), unit: unitLabel(product.unit) })}
                className="h-8 rounded-md bg-emerald-50 px-2 font-medium text-emerald-800 active:bg-emerald-100"
              >
                {t("useSuggestion")}
              </button>
            )}
          </>
        )}
        <details className="open:basis-full">
          <summary className="flex h-8 cursor-pointer items-center px-1 text-slate-600 underline" aria-label={t("whyFor", { name: product.name })}>
            {t("why")}
          </summary>
          <div className="mb-1 rounded-lg bg-slate-50 p-2 text-sm text-slate-700">
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
      {notice && !inputError && !serverError && (
        <p role="status" data-testid="replaced-notice" className="text-sm text-amber-800">
          {notice}
        </p>
      )}
      {(inputError || serverError) && (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {inputError ?? t("lineError", { message: serverError! })}
        </p>
      )}
    </li>
  );
}

export const ProductRow = memo(ProductRowImpl);
