/**
 * The product's shared words, one home: the database enums (db/schema), the zod inputs (server) and the screens (ui)
 * import them from here. Imports nothing, so every floor may.
 */

export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const ROLES = ["owner", "manager", "staff"] as const;
export type Role = (typeof ROLES)[number];

/** A department's request (the checklist draft, then submitted, then merged into orders). */
export const REQUEST_STATUSES = ["draft", "submitted", "ordered", "cancelled"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const ORDER_STATUSES = ["draft", "sent", "partially_received", "received", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Orders still to come in (the checklist counts their lines as "on order"). */
export const OPEN_ORDER_STATUSES = ["draft", "sent", "partially_received"] as const satisfies readonly OrderStatus[];

export const ORDER_LINE_STATUSES = ["open", "received", "cancelled", "returned"] as const;
export type OrderLineStatus = (typeof ORDER_LINE_STATUSES)[number];

export const POSTING_STATUSES = ["pending", "posting", "posted", "failed"] as const;
export type PostingStatus = (typeof POSTING_STATUSES)[number];

export const SEND_CHANNELS = ["whatsapp", "telegram", "email", "copy"] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

/** Poster's unit codes (a product may also carry free text as its unit). */
export const POSTER_UNITS = ["kg", "l", "p"] as const;
export type PosterUnit = (typeof POSTER_UNITS)[number];
/** The units a product made here (not in Poster) may get; "pcs" is our code for pieces. */
export const LOCAL_UNITS = ["kg", "l", "pcs"] as const;
/** Every unit code the app names in the reader's language (anything else is free text, shown as typed). */
export const KNOWN_UNITS = ["kg", "l", "p", "pcs"] as const satisfies readonly (PosterUnit | (typeof LOCAL_UNITS)[number])[];
