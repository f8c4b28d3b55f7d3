import { fromThousandths, toThousandths } from "@/vocabulary/quantity";

/**
 * Ordering in whole packs: a product bought in 2 l packs, or in cases of 6 bottles, is ordered in steps of
 * pack size × multiple (packs per order step). Quantities are decimal strings, arithmetic on thousandths.
 */
export interface PackTerms {
  /** Quantity of the product's unit in one pack ("2" l); null: sold by the unit. */
  packSize: string | null;
  /** Packs per order step (6 bottles a case); null or 1: single packs. */
  multiple: number | null;
}

export interface PackRounding {
  /** What was asked for. */
  requested: string;
  /** What to order: a whole number of steps, never less than requested. */
  quantity: string;
  /** Packs ordered (quantity / pack size); null without a pack size. */
  packs: number | null;
  /** One order step in the product's unit. */
  step: string;
  rounded: boolean;
}

export function orderStep(terms: PackTerms): bigint | null {
  if (terms.packSize === null) return terms.multiple && terms.multiple > 1 ? BigInt(terms.multiple) * 1000n : null;
  const size = toThousandths(terms.packSize);
  if (size <= 0n) return null;
  return size * BigInt(Math.max(1, terms.multiple ?? 1));
}

/** Rounds a requested quantity up to whole order steps; zero stays zero. */
export function roundToPacks(requested: string, terms: PackTerms): PackRounding {
  const asked = toThousandths(requested);
  const step = orderStep(terms);
  if (step === null || asked === 0n) {
    return { requested: fromThousandths(asked), quantity: fromThousandths(asked), packs: null, step: step === null ? "0" : fromThousandths(step), rounded: false };
  }
  const steps = (asked + step - 1n) / step;
  const quantity = steps * step;
  const size = terms.packSize === null ? null : toThousandths(terms.packSize);
  return {
    requested: fromThousandths(asked),
    quantity: fromThousandths(quantity),
    packs: size ? Number(quantity / size) : null,
    step: fromThousandths(step),
    rounded: quantity !== asked,
  };
}
