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

function md5(parts: string[]): string {
  return createHash("md5").update(parts.join(";")).digest("hex");
}

/**
 * Poster's webhook signature: md5(account;object;object_id;action[;data];time;application_secret). `data` takes
 * part whenever it is present, an empty string included, as Poster's PHP SDK does (`isset`); null or missing leave
 * it out.
 */
export function posterVerify(body: PosterWebhookSignedFields, applicationSecret: string): string {
  const parts = [body.account, body.object, String(body.object_id), body.action];
  if (body.data !== undefined && body.data !== null) parts.push(body.data);
  parts.push(String(body.time), applicationSecret);
  return md5(parts);
}

/**
 * Strict and case-insensitive. An empty `data` is accepted signed either way: joined (the SDK) or left out (the
 * docs' prose, and other clients); which one Poster's servers use is not documented.
 */
export function isValidPosterSignature(
  body: PosterWebhookSignedFields & { verify?: unknown },
  applicationSecret: string,
): boolean {
  if (typeof body.verify !== "string" || !/^[0-9a-f]{32}$/i.test(body.verify)) return false;
  const verify = body.verify.toLowerCase();
  if (posterVerify(body, applicationSecret) === verify) return true;
  return body.data === "" && posterVerify({ ...body, data: null }, applicationSecret) === verify;
}
