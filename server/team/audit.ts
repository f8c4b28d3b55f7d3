import type { Tx } from "@/db/client";
import { auditLog } from "@/db/schema";

export type TeamAuditAction =
  | "invitation.created"
  | "invitation.revoked"
  | "invitation.accepted"
  /** Someone gave their address on a shareable link (no actor: they have no account yet). */
  | "invitation.claimed"
  | "member.updated"
  | "member.deactivated"
  | "member.reactivated";

/** One audit row: who did what to whom. `data` must never carry tokens, hashes or passwords. */
export async function recordTeamAudit(
  tx: Tx,
  entry: { restaurantId: string; actorUserId: string | null; action: TeamAuditAction; targetType: "invitation" | "membership"; targetId: string; data?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditLog).values({
    restaurantId: entry.restaurantId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    data: entry.data ?? null,
  });
}
