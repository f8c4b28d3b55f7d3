import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { users } from "@/db/schema";
import { revokeAllSessions } from "@/server/accounts/sessions";
import { invalidateAfterCommit } from "@/server/tenancy/access-cache";

/**
 * Ends every session of `userId` on its next request: sessions carry the version they were issued with and
 * tRPC/pages compare it with `users.session_version`. Call after deactivation, role/capability change,
 * membership removal, password change or reset. `tx` must be able to update users (a platform transaction).
 * Returns the new version (undefined when the user does not exist). Their recorded sessions are marked ended
 * too, so the account page lists no device that can no longer sign in.
 */
export async function bumpSessionVersion(tx: Tx, userId: string): Promise<number | undefined> {
  const [row] = await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  invalidateAfterCommit(tx, { user: userId });
  await revokeAllSessions(tx, userId);
  return row?.sessionVersion;
}
