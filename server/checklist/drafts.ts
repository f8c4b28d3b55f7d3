import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { productDepartments, products, purchaseRequestLines, purchaseRequests } from "@/db/schema";
import type { Actor } from "@/server/auth/permissions";
import { requireDepartment } from "./access";
import { isZeroQuantity, MAX_QUANTITY, parseQuantity } from "@/vocabulary/quantity";
import { NotFoundError, ValidationError } from "@/server/errors";

export interface DraftLine {
  productId: string;
  quantity: string;
}

export interface Draft {
  id: string;
  departmentId: string;
  updatedAt: Date;
  lines: DraftLine[];
}

const QUANTITY_ERRORS = {
  format: ["quantity_format", "Quantity must be a number, for example 2 or 2.5."],
  precision: ["quantity_precision", "Quantity may have at most 3 decimal places."],
  range: ["quantity_range", `Quantity must be between 0 and ${MAX_QUANTITY}.`],
} as const;

/** Validates a typed quantity ("2,5", "2.5", "" = remove) and answers its canonical form ("2.5", "0"). */
export function normalizeQuantityInput(raw: string): string {
  const parsed = parseQuantity(raw);
  if (!parsed.ok) {
    const [reason, message] = QUANTITY_ERRORS[parsed.error];
    throw new ValidationError(reason, message, { max: MAX_QUANTITY });
  }
  return parsed.value;
}

async function findDraftId(tx: Tx, actor: Actor, departmentId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: purchaseRequests.id })
    .from(purchaseRequests)
    .where(and(eq(purchaseRequests.departmentId, departmentId), eq(purchaseRequests.createdBy, actor.userId), eq(purchaseRequests.status, "draft")));
  return row?.id ?? null;
}

/** The one draft per (restaurant, department, user): created on first use, race-free via the partial unique index. */
async function ensureDraftId(tx: Tx, restaurantId: string, actor: Actor, departmentId: string): Promise<string> {
  const result = await tx.execute(sql`
    insert into purchase_requests (restaurant_id, department_id, created_by, status)
    values (${restaurantId}, ${departmentId}, ${actor.userId}, 'draft')
    on conflict (restaurant_id, department_id, created_by) where status = 'draft' do nothing
    returning id`);
  const inserted = rowsOf<{ id: string }>(result)[0]?.id;
  if (inserted) return inserted;
  const existing = await findDraftId(tx, actor, departmentId);
  if (!existing) throw new Error("Draft vanished between insert and select");
  return existing;
}

export async function getDraft(tx: Tx, actor: Actor, input: { departmentId: string }): Promise<Draft | null> {
  const department = await requireDepartment(tx, actor, input.departmentId);
  const [draft] = await tx
    .select({ id: purchaseRequests.id, updatedAt: purchaseRequests.updatedAt })
    .from(purchaseRequests)
    .where(and(eq(purchaseRequests.departmentId, department.id), eq(purchaseRequests.createdBy, actor.userId), eq(purchaseRequests.status, "draft")));
  if (!draft) return null;
  const lines = await tx
    .select({ productId: purchaseRequestLines.productId, quantity: sql<string>`trim_scale(${purchaseRequestLines.quantity})::text` })
    .from(purchaseRequestLines)
    .where(eq(purchaseRequestLines.requestId, draft.id))
    .orderBy(asc(purchaseRequestLines.createdAt), asc(purchaseRequestLines.productId));
  return { id: draft.id, departmentId: department.id, updatedAt: draft.updatedAt, lines };
}

export interface SavedLine {
  draftId: string;
  productId: string;
  /** Canonical quantity now in the draft; "0" when the line was removed. */
  quantity: string;
  /** Echoed so an offline client can tell which of its edits this answers. */
  clientMutationId: string | null;
  /**
   * The quantity this write replaced when it was not the one the device started from: another device (the same
   * user's phone and tablet) changed the line meanwhile. The last write wins; the device says so.
   */
  replaced: string | null;
}

/**
 * Sets one product's quantity in the actor's draft: an upsert on (restaurant, request, product), so resending
 * the same edit (offline replay, retry) never duplicates a line. "0" or "" removes the line. `baseQuantity` is
 * what the device showed before the edit: when the line holds something else now, the write still wins and
 * answers what it replaced.
 */
export async function saveDraftLine(
  tx: Tx,
  actor: Actor,
  input: { restaurantId: string; departmentId: string; productId: string; quantity: string; baseQuantity?: string | undefined; clientMutationId?: string | undefined },
): Promise<SavedLine> {
  const quantity = normalizeQuantityInput(input.quantity);
  const base = input.baseQuantity === undefined ? null : normalizeQuantityInput(input.baseQuantity);
  const department = await requireDepartment(tx, actor, input.departmentId);
  const [placement] = await tx
    .select({ productId: productDepartments.productId })
    .from(productDepartments)
    .innerJoin(products, eq(products.id, productDepartments.productId))
    .where(and(eq(productDepartments.departmentId, department.id), eq(productDepartments.productId, input.productId), eq(products.isArchived, false)));
  if (!placement) throw new NotFoundError("product_not_in_department", "This product is not in this department.");

  const draftId = await ensureDraftId(tx, input.restaurantId, actor, department.id);
  // Locked: two devices saving the same line one after the other each see what the other wrote.
  const [before] = await tx
    .select({ quantity: sql<string>`trim_scale(${purchaseRequestLines.quantity})::text` })
    .from(purchaseRequestLines)
    .where(and(eq(purchaseRequestLines.requestId, draftId), eq(purchaseRequestLines.productId, input.productId)))
    .for("update");
  const stored = before?.quantity ?? "0";
  const replaced = base !== null && stored !== base && stored !== quantity ? stored : null;
  if (isZeroQuantity(quantity)) {
    await tx.delete(purchaseRequestLines).where(and(eq(purchaseRequestLines.requestId, draftId), eq(purchaseRequestLines.productId, input.productId)));
  } else {
    await tx
      .insert(purchaseRequestLines)
      .values({ restaurantId: input.restaurantId, requestId: draftId, productId: input.productId, quantity })
      .onConflictDoUpdate({
        target: [purchaseRequestLines.restaurantId, purchaseRequestLines.requestId, purchaseRequestLines.productId],
        set: { quantity, updatedAt: sql`now()` },
      });
  }
  await tx.update(purchaseRequests).set({ updatedAt: sql`now()` }).where(eq(purchaseRequests.id, draftId));
  return { draftId, productId: input.productId, quantity, clientMutationId: input.clientMutationId ?? null, replaced };
}

export interface SubmittedRequest {
  id: string;
  departmentId: string;
  status: "submitted" | "ordered" | "cancelled" | "draft";
  note: string | null;
  submittedAt: Date | null;
  lineCount: number;
  /** True when there was no draft left and this is the request an earlier submit produced. */
  alreadySubmitted: boolean;
}

/** How long a repeated submit (double tap, retry after a lost answer) is answered with the earlier request. */
const RESUBMIT_WINDOW_MINUTES = 10;

/**
 * Turns the actor's draft into a submitted request. Refuses an empty draft. A second submit finds no draft and
 * answers with the request the first one produced (within a few minutes), so a retried call is harmless.
 */
export async function submitDraft(tx: Tx, actor: Actor, input: { departmentId: string; note?: string }): Promise<SubmittedRequest> {
  const department = await requireDepartment(tx, actor, input.departmentId);
  const note = input.note?.trim() || null;
  const draftId = await findDraftId(tx, actor, department.id);
  if (draftId) {
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(purchaseRequestLines)
      .where(eq(purchaseRequestLines.requestId, draftId));
    if (Number(n) === 0) {
      throw new ValidationError("checklist_empty", "The checklist is empty: enter at least one quantity before submitting.");
    }
    // `status = 'draft'` in the where: of two concurrent submits, only one moves the row.
    const [submitted] = await tx
      .update(purchaseRequests)
      .set({ status: "submitted", note, submittedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(purchaseRequests.id, draftId), eq(purchaseRequests.status, "draft")))
      .returning();
    if (submitted) {
      return {
        id: submitted.id,
        departmentId: department.id,
        status: submitted.status,
        note: submitted.note,
        submittedAt: submitted.submittedAt,
        lineCount: Number(n),
        alreadySubmitted: false,
      };
    }
  }
  const [previous] = await tx
    .select({
      id: purchaseRequests.id,
      status: purchaseRequests.status,
      note: purchaseRequests.note,
      submittedAt: purchaseRequests.submittedAt,
      // Qualified by hand: drizzle renders a single-table column unqualified, which the subquery would rebind to l.id.
      lineCount: sql<number>`(select count(*)::int from purchase_request_lines l where l.request_id = purchase_requests.id)`,
    })
    .from(purchaseRequests)
    .where(
      and(
        eq(purchaseRequests.departmentId, department.id),
        eq(purchaseRequests.createdBy, actor.userId),
        sql`${purchaseRequests.status} <> 'draft' and ${purchaseRequests.submittedAt} > now() - make_interval(mins => ${RESUBMIT_WINDOW_MINUTES})`,
      ),
    )
    .orderBy(desc(purchaseRequests.submittedAt))
    .limit(1);
  if (previous) return { ...previous, departmentId: department.id, lineCount: Number(previous.lineCount), alreadySubmitted: true };
  throw new ValidationError("no_draft", "There is no draft to submit: enter quantities first.");
}
