import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { posterConnections, restaurants, webhookEvents } from "@/db/schema";
import { withPlatform, withTenant } from "@/db/scope";
import { posterTokenStore } from "@/server/connections";
import { posterApplication } from "@/server/env";
import { isFlagOn } from "@/server/flags";
import { enqueueJob } from "@/server/jobs/queue";
import type { SyncJobTarget } from "@/server/jobs/sync-handlers";
import { log } from "@/server/observability/log";
import { isValidPosterSignature } from "@/server/poster";
import { redactSecrets } from "@/server/poster/errors";
import { createRateLimiter, type RateLimiter } from "@/server/ratelimit";
import { clientAddress } from "@/server/security/client-address";

const MAX_BODY_BYTES = 64 * 1024;
/**
 * Poster retries a hook for two days; an older signed hook is a replay (its dedup row may already be cleaned up,
 * webhook_events are kept 30 days), so it is refused.
 */
const MAX_HOOK_AGE_S = 3 * 86_400;
const hookLog = log.child({ module: "webhooks.poster" });

const bodySchema = z.object({
  /** The account login: it takes part in the signature, so it (not account_number) identifies the restaurant. */
  account: z.string().min(1).max(100),
  account_number: z.union([z.string(), z.number()]).transform(String).optional(),
  object: z.string().min(1).max(50),
  object_id: z.union([z.number(), z.string().min(1).max(50)]),
  action: z.string().min(1).max(30),
  time: z.union([z.string().max(20), z.number()]),
  verify: z.string().max(64).optional(),
  /** The raw JSON string as sent: verified as is, parsed only afterwards. Poster may send it empty or null. */
  data: z.string().max(32_000).nullish(),
});
type PosterWebhook = z.infer<typeof bodySchema>;

export type WebhookOutcome =
  | "enqueued" | "duplicate" | "ignored" | "test" | "paused" | "switched_off" | "token_saved" | "disconnected"
  | "invalid_payload" | "invalid_signature" | "unknown_account" | "stale" | "error";

/** Poster sends JSON; form-encoded bodies are tolerated (some proxies and older senders use them). */
function parseBody(raw: string, contentType: string): unknown {
  const asForm = () => Object.fromEntries(new URLSearchParams(raw));
  if (contentType.includes("application/x-www-form-urlencoded")) return asForm();
  try {
    return JSON.parse(raw);
  } catch {
    return raw.includes("=") ? asForm() : null;
  }
}

function parseData(data: string | null | undefined): Record<string, unknown> {
  if (!data) return {};
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What is logged: never the access token an `application` hook carries (nor anything shaped like a token). */
export function storablePayload(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (typeof copy.data === "string") {
    const data = parseData(copy.data);
    if ("access_token" in data) copy.data = JSON.stringify({ ...data, access_token: "[redacted]" });
  }
  return JSON.parse(redactSecrets(JSON.stringify(copy))) as Record<string, unknown>;
}

/** A repeated delivery has the same signed fields, hence the same key. */
export function webhookDedupKey(b: PosterWebhook): string {
  const signed = [b.account, b.object, String(b.object_id), b.action, b.data ?? "", String(b.time)].join(";");
  return `poster:${createHash("sha256").update(signed).digest("hex")}`;
}

const toInt = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * Which targeted sync a hook asks for. Our catalogue holds Poster ingredients (with their categories, storages
 * and stock); menu products, dishes and prepacks are not in it, so their hooks are logged and ignored. Suppliers
 * have no documented hook and are polled by the full sync; the handler is here in case Poster adds one.
 */
export function targetForWebhook(b: PosterWebhook): SyncJobTarget | null {
  const id = toInt(b.object_id);
  const data = parseData(b.data);
  switch (b.object) {
    case "ingredient":
      return id ? { kind: "ingredient", posterId: id } : null;
    case "ingredients_category":
      return id ? { kind: "category", posterId: id } : null;
    case "storage":
      return id ? { kind: "storage", posterId: id } : null;
    case "stock": {
      // type 1 = ingredient; products, modifiers, dishes and prepacks are not ours.
      const type = toInt(data.type);
      const storage = toInt(data.storage_id);
      const element = toInt(data.element_id) ?? id;
      if ((type !== null && type !== 1) || !storage) return null;
      return { kind: "stock", storagePosterId: storage, ...(element ? { ingredientPosterId: element } : {}) };
    }
    case "supply":
      // A supply moves stock in one storage that the hook does not name: refresh stock everywhere.
      return { kind: "supply" };
    case "supplier":
      return { kind: "suppliers" };
    default:
      return null;
  }
}

/**
 * Rejected hooks written to webhook_events per minute: per trusted client address (server/security/client-address.ts)
 * and overall, so neither one sender nor a flood from rotating addresses can fill the table. Past the cap they are
 * only counted in the app log.
 */
export const REJECTED_LOG_LIMITS = { perAddress: 30, overall: 120, windowSeconds: 60 } as const;
/** Of a rejected hook's (redacted) body only this many characters are kept: a real hook is far smaller. */
export const REJECTED_PAYLOAD_CHARS = 2_000;

let rejectedLimiters: { perAddress: RateLimiter; overall: RateLimiter } | undefined;
async function rejectedLogAllowed(ip: string | null): Promise<boolean> {
  const { perAddress, overall, windowSeconds } = REJECTED_LOG_LIMITS;
  rejectedLimiters ??= {
    perAddress: createRateLimiter({ prefix: "webhook:rejected", limit: perAddress, windowSeconds }),
    overall: createRateLimiter({ prefix: "webhook:rejected-all", limit: overall, windowSeconds }),
  };
  // The address first: one noisy sender does not use up the overall allowance.
  if (ip && !(await rejectedLimiters.perAddress.limit(ip)).success) return false;
  return (await rejectedLimiters.overall.limit("all")).success;
}

/** A rejected body as stored: redacted, and cut to REJECTED_PAYLOAD_CHARS (kept as an excerpt string). */
export function truncatedPayload(body: unknown): Record<string, unknown> | null {
  const stored = storablePayload(body);
  const json = stored ? JSON.stringify(stored) : typeof body === "string" ? body : null;
  if (json === null) return null;
  if (stored && json.length <= REJECTED_PAYLOAD_CHARS) return stored;
  return { truncated: true, chars: json.length, excerpt: json.slice(0, REJECTED_PAYLOAD_CHARS) };
}

interface EventRow {
  restaurantId: string | null;
  body: Partial<PosterWebhook>;
  rawPayload: unknown;
  dedupKey: string;
  verified: boolean;
  outcome: WebhookOutcome;
  error?: string;
  /** Rejected hooks: keep only an excerpt of the body. */
  truncate?: boolean;
}

async function insertEvent(e: EventRow): Promise<string | null> {
  const [row] = await withPlatform("webhook", (tx) =>
    tx
      .insert(webhookEvents)
      .values({
        restaurantId: e.restaurantId,
        accountNumber: e.body.account_number ?? null,
        object: e.body.object ?? null,
        objectId: e.body.object_id !== undefined ? String(e.body.object_id) : null,
        action: e.body.action ?? null,
        dedupKey: e.dedupKey,
        verified: e.verified,
        outcome: e.outcome,
        error: e.error ?? null,
        payload: e.truncate ? truncatedPayload(e.rawPayload) : storablePayload(e.rawPayload),
        ...(e.outcome !== "enqueued" ? { processedAt: new Date() } : {}),
      })
      .onConflictDoNothing({ target: webhookEvents.dedupKey })
      .returning({ id: webhookEvents.id }),
  );
  return row?.id ?? null;
}

async function finishEvent(id: string, outcome: WebhookOutcome, error?: string): Promise<void> {
  await withPlatform("webhook", (tx) =>
    tx.update(webhookEvents).set({ outcome, error: error ?? null, processedAt: new Date() }).where(eq(webhookEvents.id, id)),
  );
}

const reply = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

async function reject(status: 400 | 401 | 413, outcome: WebhookOutcome, e: Omit<EventRow, "outcome" | "verified" | "dedupKey">, ip: string | null): Promise<Response> {
  hookLog.warn("poster webhook rejected", { outcome, account: e.body.account, object: e.body.object, action: e.body.action, ip });
  if (await rejectedLogAllowed(ip)) {
    // Each rejected delivery gets its own row: they are the security log, not work to deduplicate.
    await insertEvent({ ...e, outcome, verified: false, truncate: true, dedupKey: `rejected:${crypto.randomUUID()}` }).catch((error: unknown) =>
      hookLog.error("could not log a rejected webhook", { error }),
    );
  }
  return reply(status, { status: "rejected" });
}

/**
 * POST /api/webhooks/poster. Verifies Poster's md5 signature before storing anything, finds the restaurant by the
 * signed account login, logs the hook (webhook_events, without any token), de-duplicates repeated deliveries on the
 * signed fields, and answers 200 at once: the sync it asks for runs as a job. Rejected hooks go to the same table
 * under a cap (REJECTED_LOG_LIMITS), cut short. `application` hooks are applied inline: the token
 * they carry is stored encrypted and must not travel through a job payload.
 */
export async function handlePosterWebhook(request: Request): Promise<Response> {
  const ip = clientAddress(request.headers);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) {
    return reject(413, "invalid_payload", { restaurantId: null, body: {}, rawPayload: null }, ip);
  }
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return reject(413, "invalid_payload", { restaurantId: null, body: {}, rawPayload: null }, ip);
  const parsedBody = parseBody(raw, request.headers.get("content-type") ?? "");
  const parsed = bodySchema.safeParse(parsedBody);
  if (!parsed.success) return reject(400, "invalid_payload", { restaurantId: null, body: {}, rawPayload: parsedBody }, ip);
  const body = parsed.data;
  const signed = isValidPosterSignature({ ...body, data: body.data ?? null }, posterApplication().secret);

  // Poster's "check" button: a test hook only needs a 200 (it may come unsigned); only a signed one is stored.
  if (body.action === "test") {
    if (signed) await insertEvent({ restaurantId: null, body, rawPayload: parsedBody, dedupKey: webhookDedupKey(body), verified: true, outcome: "test" });
    else hookLog.info("unsigned poster test webhook answered, not stored", { ip });
    return reply(200, { status: "accept" });
  }
  if (!signed) return reject(401, "invalid_signature", { restaurantId: null, body, rawPayload: parsedBody }, ip);
  if (Math.floor(Date.now() / 1000) - Number(body.time) > MAX_HOOK_AGE_S) return reject(401, "stale", { restaurantId: null, body, rawPayload: parsedBody }, ip);

  const restaurant = await withPlatform("webhook", async (tx) => {
    const [row] = await tx
      .select({ id: restaurants.id, accountNumber: restaurants.posterAccountNumber, connection: posterConnections.status, status: restaurants.status, disabledAt: restaurants.disabledAt })
      .from(restaurants)
      .leftJoin(posterConnections, eq(posterConnections.restaurantId, restaurants.id))
      .where(eq(restaurants.posterAccountLogin, body.account));
    return row ? { ...row, webhooksOn: await isFlagOn(tx, "poster.webhooks", row.id) } : undefined;
  });
  const dedupKey = webhookDedupKey(body);
  // Signed by Poster for an account with no restaurant (yet, or any more): recorded once and answered 200, or
  // Poster would retry it for two days.
  if (!restaurant) {
    const id = await insertEvent({ restaurantId: null, body, rawPayload: parsedBody, dedupKey, verified: true, outcome: "unknown_account" });
    hookLog.info("poster webhook for an account without a restaurant", { account: body.account, object: body.object, action: body.action, duplicate: !id });
    return reply(200, { status: "accept", ...(id ? {} : { duplicate: true }) });
  }
  // account_number is not signed: it must agree with the signed login, or the hook could be aimed at another tenant.
  if (body.account_number !== undefined && body.account_number !== restaurant.accountNumber) {
    return reject(401, "unknown_account", { restaurantId: null, body, rawPayload: parsedBody }, ip);
  }

  const eventId = await insertEvent({ restaurantId: restaurant.id, body, rawPayload: parsedBody, dedupKey, verified: true, outcome: "enqueued" });
  if (!eventId) {
    hookLog.info("duplicate poster webhook", { restaurantId: restaurant.id, object: body.object, action: body.action });
    return reply(200, { status: "accept", duplicate: true });
  }

  try {
    const outcome = await applyWebhook(body, { id: restaurant.id, accountNumber: restaurant.accountNumber, connection: restaurant.connection, paused: restaurant.status === "paused" || restaurant.disabledAt !== null, webhooksOn: restaurant.webhooksOn }, dedupKey);
    if (outcome !== "enqueued") await finishEvent(eventId, outcome);
    hookLog.info("poster webhook", { restaurantId: restaurant.id, object: body.object, action: body.action, outcome });
    return reply(200, { status: "accept" });
  } catch (error) {
    // Not applied: forget the delivery so Poster's retry is not taken for a duplicate.
    hookLog.error("poster webhook failed", { restaurantId: restaurant.id, object: body.object, error });
    await withPlatform("webhook", (tx) => tx.delete(webhookEvents).where(eq(webhookEvents.id, eventId))).catch(() => undefined);
    return reply(500, { status: "error" });
  }
}

async function applyWebhook(
  body: PosterWebhook,
  restaurant: { id: string; accountNumber: string | null; connection: string | null; paused: boolean; webhooksOn: boolean },
  dedupKey: string,
): Promise<WebhookOutcome> {
  const accountNumber = restaurant.accountNumber ?? body.account_number ?? "";
  if (body.object === "application") {
    if (body.action === "removed") {
      await withTenant(restaurant.id, (tx) => posterTokenStore.clear(tx, restaurant.id));
      return "disconnected";
    }
    if (body.action !== "added") return "ignored";
    const token = parseData(body.data).access_token;
    // A token always starts with its account number; anything else is not this restaurant's token.
    if (typeof token !== "string" || !/^\d+:[0-9a-f]{32}$/i.test(token) || !token.startsWith(`${accountNumber}:`)) return "invalid_payload";
    await withTenant(restaurant.id, (tx) => posterTokenStore.save(tx, restaurant.id, { accountNumber, accountLogin: body.account, token }));
    // Paused by the platform: the token is kept, the sync waits for the resume (which the admin starts). Webhooks
    // switched off: the token is kept too, the next scheduled sync picks the account up.
    if (restaurant.paused || !restaurant.webhooksOn) return "token_saved";
    await enqueueJob({
      kind: "sync.full",
      restaurantId: restaurant.id,
      payload: { trigger: "webhook" },
      dedupKey: `webhook:${dedupKey}`,
      dedup: "until-success",
      ...(accountNumber ? { flowKey: accountNumber } : {}),
    });
    return "token_saved";
  }
  const target = targetForWebhook(body);
  if (!target) return "ignored";
  // Paused by the platform: no sync of any kind; the hook is logged as such.
  if (restaurant.paused) return "paused";
  // Webhooks switched off (the poster.webhooks flag): answered 200 and logged; the scheduled syncs catch up.
  // Install/uninstall hooks (above) still apply: they carry or revoke the token.
  if (!restaurant.webhooksOn) return "switched_off";
  // A connection that needs reconnecting cannot sync; the owner's reconnect runs a full sync anyway.
  if (restaurant.connection !== "active" && restaurant.connection !== "expiring") return "paused";
  await enqueueJob({
    kind: "sync.targeted",
    restaurantId: restaurant.id,
    payload: { target, trigger: "webhook" },
    dedupKey: `webhook:${dedupKey}`,
    dedup: "until-success",
    ...(accountNumber ? { flowKey: accountNumber } : {}),
  });
  return "enqueued";
}
