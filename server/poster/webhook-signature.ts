import { createHash } from "node:crypto";

/** The fields of a Poster webhook body that take part in its signature. */
export interface PosterWebhookSignedFields {
  account: string;
  object: string;
  object_id: number | string;
  action: string;
  time: string | number;
  /** The raw JSON string exactly as sent; never re-serialize before verifying. */
  data?: string | null;
}

/**
 * Poster's webhook signature: md5(account;object;object_id;action[;data];time;application_secret).
 * `data` takes part only when present and non-empty (Poster omits it when there is none).
 */
export function posterVerify(body: PosterWebhookSignedFields, applicationSecret: string): string {
  const parts = [body.account, body.object, String(body.object_id), body.action];
  if (body.data !== undefined && body.data !== null && body.data !== "") parts.push(body.data);
  parts.push(String(body.time), applicationSecret);
  return createHash("md5").update(parts.join(";")).digest("hex");
}

/** Constant-time-ish comparison is not needed for md5 hex of public fields, but keep it strict and case-insensitive. */
export function isValidPosterSignature(
  body: PosterWebhookSignedFields & { verify?: unknown },
  applicationSecret: string,
): boolean {
  if (typeof body.verify !== "string" || !/^[0-9a-f]{32}$/i.test(body.verify)) return false;
  return posterVerify(body, applicationSecret) === body.verify.toLowerCase();
}
