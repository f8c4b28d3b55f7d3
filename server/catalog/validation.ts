import { z } from "zod";
import { storedQuantity, text } from "@/server/validation";
import { SEND_CHANNELS } from "@/vocabulary/constants";

/** Par levels: the one quantity schema (server/validation.ts). */
export const quantityInput = storedQuantity;

/** Optional text a user may clear: blank becomes null. */
const clearable = (max: number) =>
  text(max)
    .transform((s) => (s === "" ? null : s))
    .nullable();

export const phoneInput = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : s))
  .nullable()
  .refine((s) => s === null || (/^\+?[\d\s()-]+$/.test(s) && countDigits(s) >= 5 && countDigits(s) <= 15), "Enter a phone number (digits, spaces, +, -, brackets).");

function countDigits(s: string): number {
  return s.replace(/\D/g, "").length;
}

export const emailInput = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : s.toLowerCase()))
  .nullable()
  .refine((s) => s === null || z.email().safeParse(s).success, "Enter a valid e-mail address.");

/** A Telegram username, stored bare ("fresh_veg"); "@fresh_veg" and "https://t.me/fresh_veg" are accepted. */
export const telegramInput = z
  .string()
  .trim()
  .transform((s) => (s === "" ? null : s.replace(/^(?:https?:\/\/)?(?:www\.)?t(?:elegram)?\.me\//i, "").replace(/^@/, "")))
  .nullable()
  .refine((s) => s === null || /^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(s), "Enter a Telegram username (5–32 letters, digits or _).");

export const channelInput = z.enum(SEND_CHANNELS).nullable();

export const nameInput = text(200, { min: 1 });
export const commentInput = clearable(2000);
export const addressInput = clearable(500);
export const unitInput = text(20, { min: 1 });
