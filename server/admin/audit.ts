import type { Tx } from "@/db/client";
import { auditLog } from "@/db/schema";

/** Every admin action, with the admin and the reason they gave, in the same transaction as its effect. */
export async function auditAdminAction(
  tx: Tx,
  input: { actorUserId: string; restaurantId: string | null; action: string; reason?: string | null; targetType?: string; targetId?: string; data?: Record<string, unknown> },
) {
  await tx.insert(auditLog).values({
    restaurantId: input.restaurantId,
    actorUserId: input.actorUserId,
    action: input.action,
    targetType: input.targetType ?? (input.restaurantId ? "restaurant" : null),
    targetId: input.targetId ?? input.restaurantId,
    data: { ...input.data, ...(input.reason ? { reason: input.reason } : {}) },
  });
}
