import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { purchaseRequestLines, purchaseRequests } from "@/db/schema";
import type { Actor } from "@/server/auth/permissions";
import { assertWorksIn, departmentNotFound, requireDepartment } from "./access";
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
  assertWorksIn(actor, input.departmentId);
  // Two statements (the hot path of every checklist: it was seven). The first checks the department and the
  // product's place in it and creates or touches the draft; its upsert locks the draft row until commit, so the
  // saves of one draft (two devices of one user) run one after the other and the second statement, which starts
  // after that lock with a fresh snapshot, reads the line as the previous save left it.
  const [head] = rowsOf<{ department_id: string | null; placed: boolean; draft_id: string | null }>(
    await tx.execute(sql`
      with department as (
        select id from departments where id = ${input.departmentId} and not is_archived
      ), placement as (
        select 1 from product_departments pd join products p on p.id = pd.product_id
        where pd.department_id = (select id from department) and pd.product_id = ${input.productId} and not p.is_archived
      ), draft as (
        insert into purchase_requests (restaurant_id, department_id, created_by, status)
        select ${input.restaurantId}::uuid, ${input.departmentId}::uuid, ${actor.userId}::uuid, 'draft'::request_status where exists (select 1 from placement)
        on conflict (restaurant_id, department_id, created_by) where status = 'draft' do update set updated_at = now()
        returning id
      )
      select (select id from department) as department_id, exists (select 1 from placement) as placed, (select id from draft) as draft_id`),
  );
  if (!head?.department_id) throw departmentNotFound();
  if (!head.placed || !head.draft_id) throw new NotFoundError("product_not_in_department", "This product is not in this department.");
  const draftId = head.draft_id;
  // The line's previous quantity and the write in one statement: its parts share one snapshot, so `before` is the
  // line as it was before this write, whichever part runs first.
  const write = isZeroQuantity(quantity)
    ? sql`delete from purchase_request_lines where request_id = ${draftId} and product_id = ${input.productId}`
    : sql`insert into purchase_request_lines (restaurant_id, request_id, product_id, quantity)
          values (${input.restaurantId}::uuid, ${draftId}::uuid, ${input.productId}::uuid, ${quantity}::numeric)
          on conflict (restaurant_id, request_id, product_id) do update set quantity = excluded.quantity, updated_at = now()`;
  const [line] = rowsOf<{ before: string | null }>(
    await tx.execute(sql`
      with before as (
        select quantity from purchase_request_lines where request_id = ${draftId} and product_id = ${input.productId}
      ), write as (${write})
      select trim_scale((select quantity from before))::text as before`),
  );
  const stored = line?.before ?? "0";
  const replaced = base !== null && stored !== base && stored !== quantity ? stored : null;
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
