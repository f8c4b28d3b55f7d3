import { createHash } from "node:crypto";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { departments, purchaseOrders, receipts, restaurants, suppliers, supplyPostings } from "@/db/schema";
import { withTenant } from "@/db/scope";
import { getPosterClientForRestaurant } from "@/server/connections";
import { log } from "@/server/observability/log";
import { restaurantPausedError, switchedOffError } from "@/server/errors";
import { isFlagOn } from "@/server/flags";
import { formatPosterYmd, type CreateSupplyInput, type PosterClient } from "@/server/poster";
import { readPause } from "@/server/tenancy/pause";
import { recordEvent } from "./status";
import { postingLines } from "./receive";

/** A posting left in "posting" longer than this is taken to have died with its process and may be claimed again. */
const POSTING_LEASE_MS = 2 * 60_000;

/** Another run is posting this right now: try again later (the job runner retries). */
export class SupplyPostingBusyError extends Error {
  readonly retryable = true;
  constructor(postingId: string) {
    super(`Supply posting ${postingId} is being posted by another run`);
    this.name = "SupplyPostingBusyError";
  }
}

/** The posting cannot be sent as it is (missing Poster ids, no connection): retrying will not help until fixed. */
export class SupplyPostingInvalidError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "SupplyPostingInvalidError";
  }
}

/**
 * Poster has no idempotency key, so our key travels in the supply comment as a short marker: after a lost
 * response, a retry finds the supply Poster already made instead of making a second one.
 */
export function supplyMarker(idempotencyKey: string): string {
  return `[rc:${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 12)}]`;
}

export interface PostSupplyDeps {
  /** Defaults to the restaurant's own connection (decrypted token, shared limiter). */
  getClient?: (tx: Tx, restaurantId: string) => Promise<PosterClient>;
}

export interface PostSupplyResult {
  postingId: string;
  posterSupplyId: number;
  /** The posting was already posted: nothing was sent. */
  alreadyPosted: boolean;
  /** Found by its marker after an earlier attempt whose answer was lost. */
  recovered: boolean;
}

type Prepared =
  | { kind: "done"; posterSupplyId: number }
  | { kind: "paused" }
  | { kind: "switched_off" }
  | { kind: "invalid"; reason: string }
  | { kind: "post"; client: PosterClient; supply: CreateSupplyInput; marker: string; lookup: boolean; receivedAt: Date; timeZone: string; orderId: string; skipped: string[] };

/**
 * Posts one receipt's lines for one storage to Poster as a supply, exactly once. Safe to call any number of
 * times, concurrently too (duplicate job deliveries): a posted posting is a no-op, a running one is left alone.
 * Throws on failure; the error's `retryable` tells the job runner whether to try again.
 */
export async function postSupply(input: { restaurantId: string; postingId: string }, deps: PostSupplyDeps = {}): Promise<PostSupplyResult> {
  const getClient = deps.getClient ?? getPosterClientForRestaurant;
  const prepared = await withTenant(input.restaurantId, (tx) => prepare(tx, input, getClient));
  if (prepared.kind === "done") return { postingId: input.postingId, posterSupplyId: prepared.posterSupplyId, alreadyPosted: true, recovered: false };
  // No Poster writes while paused: the posting stays pending (untouched) and resuming queues it again.
  if (prepared.kind === "paused") throw restaurantPausedError();
  // Poster writes switched off (the poster.writes flag): likewise pending until it is back on (server/admin/flags.ts).
  if (prepared.kind === "switched_off") throw switchedOffError("poster.writes", "Posting supplies to Poster is switched off for now; this one waits until it is back on.");
  if (prepared.kind === "invalid") {
    await finish(input, { ok: false, error: prepared.reason });
    throw new SupplyPostingInvalidError(prepared.reason);
  }

  let posterSupplyId: number | null = null;
  let recovered = false;
  try {
    if (prepared.lookup) {
      const from = new Date(prepared.receivedAt.getTime() - 86_400_000);
      const to = new Date(Math.max(Date.now(), prepared.receivedAt.getTime()) + 86_400_000);
      const supplies = await prepared.client.getSupplies({ dateFrom: formatPosterYmd(from, prepared.timeZone), dateTo: formatPosterYmd(to, prepared.timeZone) });
      const found = supplies.find((s) => !s.deleted && s.comment.includes(prepared.marker));
      if (found) {
        posterSupplyId = Number(found.id);
        recovered = true;
      }
    }
    posterSupplyId ??= await prepared.client.createSupply(prepared.supply);
  } catch (err) {
    await finish(input, { ok: false, error: err instanceof Error ? err.message : "Poster did not accept the supply", orderId: prepared.orderId });
    throw err;
  }
  const note = prepared.skipped.length ? `Not in Poster, left out: ${prepared.skipped.join(", ")}` : null;
  await finish(input, { ok: true, posterSupplyId, note, orderId: prepared.orderId });
  log.info("supply posted", { restaurantId: input.restaurantId, postingId: input.postingId, posterSupplyId, recovered });
  return { postingId: input.postingId, posterSupplyId, alreadyPosted: false, recovered };
}

async function prepare(tx: Tx, input: { restaurantId: string; postingId: string }, getClient: NonNullable<PostSupplyDeps["getClient"]>): Promise<Prepared> {
  const [posting] = await tx.select().from(supplyPostings).where(eq(supplyPostings.id, input.postingId));
  // Not visible yet (the receipt's transaction has not committed) or rolled back: a retry tells which.
  if (!posting) throw new Error(`Supply posting ${input.postingId} not found`);
  if (posting.status === "posted" && posting.posterSupplyId !== null) return { kind: "done", posterSupplyId: posting.posterSupplyId };
  if (await readPause(tx, input.restaurantId)) return { kind: "paused" };
  if (!(await isFlagOn(tx, "poster.writes", input.restaurantId))) return { kind: "switched_off" };

  const [claimed] = await tx
    .update(supplyPostings)
    .set({ status: "posting", attempts: sql`${supplyPostings.attempts} + 1` })
    .where(
      and(
        eq(supplyPostings.id, posting.id),
        or(
          inArray(supplyPostings.status, ["pending", "failed"]),
          and(eq(supplyPostings.status, "posting"), lt(supplyPostings.updatedAt, new Date(Date.now() - POSTING_LEASE_MS))),
        ),
      ),
    )
    .returning({ id: supplyPostings.id });
  if (!claimed) throw new SupplyPostingBusyError(posting.id);
  // Any earlier attempt may have reached Poster even if we never heard back.
  const lookup = posting.attempts > 0 || posting.status !== "pending";

  const [head] = await tx
    .select({
      receivedAt: receipts.receivedAt,
      orderId: purchaseOrders.id,
      orderNumber: purchaseOrders.number,
      supplierName: suppliers.name,
      posterSupplierId: suppliers.posterSupplierId,
      departmentName: departments.name,
      posterStorageId: departments.posterStorageId,
      timeZone: restaurants.timezone,
      locale: restaurants.locale,
    })
    .from(receipts)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, receipts.orderId))
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .innerJoin(departments, eq(departments.id, posting.departmentId))
    .innerJoin(restaurants, eq(restaurants.id, receipts.restaurantId))
    .where(eq(receipts.id, posting.receiptId));
  if (!head) throw new Error(`Receipt of supply posting ${posting.id} not found`);
  if (head.posterStorageId === null) return { kind: "invalid", reason: `The department "${head.departmentName}" is not linked to a Poster storage.` };
  if (head.posterSupplierId === null) return { kind: "invalid", reason: `The supplier "${head.supplierName}" is not linked to a Poster supplier.` };

  const lines = await postingLines(tx, posting.receiptId, posting.departmentId);
  const inPoster = lines.filter((l): l is typeof l & { posterIngredientId: number } => l.posterIngredientId !== null);
  if (inPoster.length === 0) return { kind: "invalid", reason: "None of the received products is in Poster." };

  let client: PosterClient;
  try {
    client = await getClient(tx, input.restaurantId);
  } catch (err) {
    return { kind: "invalid", reason: err instanceof Error ? err.message : "This restaurant is not connected to Poster." };
  }
  const marker = supplyMarker(posting.idempotencyKey);
  const label = head.locale === "ru" ? `Заказ №${head.orderNumber}` : `Order #${head.orderNumber}`;
  return {
    kind: "post",
    client,
    marker,
    lookup,
    receivedAt: head.receivedAt,
    timeZone: head.timeZone,
    orderId: head.orderId,
    skipped: lines.filter((l) => l.posterIngredientId === null).map((l) => l.name),
    supply: {
      storageId: head.posterStorageId,
      supplierId: head.posterSupplierId,
      date: head.receivedAt,
      timeZone: head.timeZone,
      comment: `${label} ${marker}`,
      lines: inPoster.map((l) => ({ id: l.posterIngredientId, type: "ingredient", num: l.quantity, pricePerUnitMinor: l.priceMinor })),
    },
  };
}

async function finish(
  input: { restaurantId: string; postingId: string },
  outcome: { ok: true; posterSupplyId: number; note: string | null; orderId: string } | { ok: false; error: string; orderId?: string },
): Promise<void> {
  await withTenant(input.restaurantId, async (tx) => {
    const [posting] = await tx
      .update(supplyPostings)
      .set(
        outcome.ok
          ? { status: "posted", posterSupplyId: outcome.posterSupplyId, postedAt: new Date(), lastError: outcome.note }
          : { status: "failed", lastError: outcome.error.slice(0, 500) },
      )
      .where(eq(supplyPostings.id, input.postingId))
      .returning({ id: supplyPostings.id });
    const orderId = outcome.orderId ?? (await orderOfPosting(tx, input.postingId));
    if (posting && orderId) {
      await recordEvent(tx, {
        orderId,
        restaurantId: input.restaurantId,
        userId: null,
        type: outcome.ok ? "supply_posted" : "supply_failed",
        data: outcome.ok ? { postingId: input.postingId, posterSupplyId: outcome.posterSupplyId } : { postingId: input.postingId, error: outcome.error.slice(0, 500) },
      });
    }
  });
}

async function orderOfPosting(tx: Tx, postingId: string): Promise<string | null> {
  const [row] = await tx
    .select({ orderId: receipts.orderId })
    .from(supplyPostings)
    .innerJoin(receipts, eq(receipts.id, supplyPostings.receiptId))
    .where(eq(supplyPostings.id, postingId));
  return row?.orderId ?? null;
}
