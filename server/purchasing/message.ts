import { fromThousandths, toThousandths } from "@/vocabulary/quantity";
import type { Locale } from "@/vocabulary/constants";

export type MessageLocale = Locale;

const TEXT = {
  ru: {
    greeting: "Здравствуйте!",
    intro: (restaurant: string, date: string) => `Заказ от «${restaurant}» на ${date}:`,
    note: "Примечание",
    thanks: "Спасибо!",
    subject: (restaurant: string, number: number, date: string) => `Заказ №${number} от «${restaurant}» на ${date}`,
    units: { kg: "кг", l: "л", p: "шт" } as Record<string, string>,
  },
  en: {
    greeting: "Hello!",
    intro: (restaurant: string, date: string) => `Order from ${restaurant} for delivery on ${date}:`,
    note: "Note",
    thanks: "Thank you!",
    subject: (restaurant: string, number: number, date: string) => `Order #${number} from ${restaurant} for ${date}`,
    units: { kg: "kg", l: "l", p: "pcs" } as Record<string, string>,
  },
} as const;

export function localizedUnit(unit: string, locale: MessageLocale): string {
  return TEXT[locale].units[unit] ?? unit;
}

/** "2.5" → "2,5" in Russian; up to 3 decimals, never rounded through a float for display beyond that. */
export function formatQuantity(quantity: string, locale: MessageLocale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3, useGrouping: false }).format(Number(quantity));
}

/** A delivery date ("YYYY-MM-DD") as "28 ноября 2026 г." / "November 28, 2026". */
export function formatDeliveryDate(date: string, locale: MessageLocale): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

export interface OrderMessageInput {
  locale: MessageLocale;
  restaurantName: string;
  number: number;
  deliveryDate: string;
  note: string | null;
  /** One entry per order line; the same product for several departments is one line for the supplier. */
  lines: ReadonlyArray<{ productId: string; name: string; unit: string; quantity: string }>;
}

export interface OrderMessage {
  subject: string;
  text: string;
}

/** The text a supplier receives, in the restaurant's language. */
export function buildOrderMessage(input: OrderMessageInput): OrderMessage {
  const t = TEXT[input.locale];
  const merged = new Map<string, { name: string; unit: string; quantity: bigint }>();
  for (const l of input.lines) {
    const m = merged.get(l.productId) ?? { name: l.name, unit: l.unit, quantity: 0n };
    m.quantity += toThousandths(l.quantity);
    merged.set(l.productId, m);
  }
  const date = formatDeliveryDate(input.deliveryDate, input.locale);
  const lines = [...merged.values()].map(
    (l, i) => `${i + 1}. ${l.name} — ${formatQuantity(fromThousandths(l.quantity), input.locale)} ${localizedUnit(l.unit, input.locale)}`,
  );
  const note = input.note?.trim();
  const text = [t.greeting, t.intro(input.restaurantName, date), ...lines, ...(note ? ["", `${t.note}: ${note}`] : []), "", t.thanks].join("\n");
  return { subject: t.subject(input.restaurantName, input.number, date), text };
}

/** wa.me wants the number in international form, digits only; without one WhatsApp lets the user pick a chat. */
export function whatsappUrl(phone: string | null, text: string): string {
  const digits = (phone ?? "").replace(/\D/g, "");
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}

export function telegramUrl(text: string): string {
  return `https://t.me/share/url?url=&text=${encodeURIComponent(text)}`;
}
