import { fromThousandths, toThousandths } from "@/vocabulary/quantity";

/** A supplier's minimum order: an amount (minor units of the restaurant's currency) or a total quantity, or both. */
export interface MinimumOrder {
  minAmountMinor: number | null;
  minQuantity: string | null;
}

export interface MinimumLine {
  quantity: string;
  /** Unit price in minor units (usual, else last); null when unknown. */
  priceMinor: number | null;
}

export interface MinimumCheck {
  /** Below at least one of the minimums: flagged before sending. */
  below: boolean;
  amountMinor: number;
  /** Lines without a price: the amount is a lower bound, and the amount check is not conclusive. */
  unpricedLines: number;
  quantity: string;
  /** How much is missing, per minimum; null when that minimum is met or not set. */
  shortAmountMinor: number | null;
  shortQuantity: string | null;
}

export function checkMinimum(lines: readonly MinimumLine[], minimum: MinimumOrder): MinimumCheck {
  let quantity = 0n;
  // Amount in thousandths of a minor unit, rounded once at the end.
  let amount = 0n;
  let unpriced = 0;
  for (const l of lines) {
    const q = toThousandths(l.quantity);
    quantity += q;
    if (l.priceMinor === null) {
      if (q > 0n) unpriced++;
    } else amount += q * BigInt(l.priceMinor);
  }
  const amountMinor = Number((amount + 500n) / 1000n);
  const shortAmount = minimum.minAmountMinor !== null && amountMinor < minimum.minAmountMinor && unpriced === 0 ? minimum.minAmountMinor - amountMinor : null;
  const minQ = minimum.minQuantity === null ? null : toThousandths(minimum.minQuantity);
  const shortQuantity = minQ !== null && quantity < minQ ? fromThousandths(minQ - quantity) : null;
  return {
    below: shortAmount !== null || shortQuantity !== null,
    amountMinor,
    unpricedLines: unpriced,
    quantity: fromThousandths(quantity),
    shortAmountMinor: shortAmount,
    shortQuantity,
  };
}
