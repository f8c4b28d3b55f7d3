import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { receipts, restaurants, supplyPostings } from "@/db/schema";
import { enqueueJob } from "@/server/jobs";
import { isFlagOn } from "@/server/flags";
import { readPause } from "@/server/tenancy/pause";
import { type PurchasingActor } from "./common";
import { recordEvent } from "./status";
import { ConflictError, NotFoundError } from "@/server/errors";

/** A manager's "Retry" on a failed posting (or "Post now" on one still waiting): back in line for posting. */
export async function retryPosting(tx: Tx, actor: PurchasingActor, input: { postingId: string }) {
  const [posting] = await tx
    .select({ id: supplyPostings.id, idempotencyKey: supplyPostings.idempotencyKey, status: supplyPostings.status, restaurantId: supplyPostings.restaurantId, orderId: receipts.orderId })
    .from(supplyPostings)
    .innerJoin(receipts, eq(receipts.id, supplyPostings.receiptId))
    .where(eq(supplyPostings.id, input.postingId))
    .for("update", { of: supplyPostings });
  if (!posting) throw new NotFoundError("posting_not_found", "Posting not found.");
  if (posting.status === "posted") throw new ConflictError("supply_already_posted", "This supply is already in Poster.");
  if (posting.status === "posting") throw new ConflictError("supply_posting_in_progress", "This supply is being posted right now.");
  await tx.update(supplyPostings).set({ status: "pending", lastError: null }).where(eq(supplyPostings.id, posting.id));
  await recordEvent(tx, { orderId: posting.orderId, restaurantId: posting.restaurantId, userId: actor.userId, type: "supply_retry", data: { postingId: posting.id } });
  await enqueuePostings(tx, posting.restaurantId, [posting]);
  return { id: posting.id, status: "pending" as const };
}

/**
 * Queues one `supply.post` job per posting inside the caller's transaction (outbox): the job exists exactly when
 * the receipt does. The posting's key deduplicates the job; a failed one may be queued again by a retry. While
 * the restaurant is paused nothing is queued: the postings stay pending and resuming queues them (resumePostings).
 */
export async function enqueuePostings(tx: Tx, restaurantId: string, postings: ReadonlyArray<{ id: string; idempotencyKey: string }>): Promise<void> {
  if (postings.length === 0) return;
  if (await readPause(tx, restaurantId)) return;
  // Likewise while Poster writes are switched off: turning them back on queues what waited (server/admin/flags.ts).
  if (!(await isFlagOn(tx, "poster.writes", restaurantId))) return;
  const [restaurant] = await tx.select({ account: restaurants.posterAccountNumber }).from(restaurants).where(eq(restaurants.id, restaurantId));
  for (const posting of postings) {
    await enqueueJob(
      {
        kind: "supply.post",
        restaurantId,
        payload: { postingId: posting.id },
        dedupKey: `supply.post:${posting.idempotencyKey}`,
        dedup: "until-success",
        ...(restaurant?.account ? { flowKey: restaurant.account } : {}),
      },
      { tx },
    );
  }
}

/** On resume: every posting that waited (pending) goes back in line. Platform or tenant scope. */
export async function resumePostings(tx: Tx, restaurantId: string): Promise<number> {
  const waiting = await tx
    .select({ id: supplyPostings.id, idempotencyKey: supplyPostings.idempotencyKey })
    .from(supplyPostings)
    .where(and(eq(supplyPostings.restaurantId, restaurantId), eq(supplyPostings.status, "pending")));
  await enqueuePostings(tx, restaurantId, waiting);
  return waiting.length;
}
