import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { withPlatform } from "@/db/scope";
import { auditLog, users } from "@/db/schema";
import { verifyPassword } from "@/server/auth/password";

export const credentialsSchema = z.object({
  email: z.email().max(254).transform((e) => e.trim().toLowerCase()),
  password: z.string().min(1).max(256),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
}

/**
 * Checks e-mail and password. Unknown e-mail, wrong password and deactivated user all answer null (the caller
 * shows one message); the failure is audited without the password.
 */
export async function checkCredentials(input: unknown, ip: string | null): Promise<SignedInUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  return withPlatform("auth", async (tx) => {
    const [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    const ok = !!user?.passwordHash && user.isActive && (await verifyPassword(user.passwordHash, password));
    if (!user || !ok) {
      await tx.insert(auditLog).values({ action: "auth.sign_in_failed", actorUserId: user?.id ?? null, data: { email }, ip });
      return null;
    }
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
  });
}
