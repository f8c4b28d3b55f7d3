/**
 * Simulated users of the scale scenarios: a staff member and a manager of a scale restaurant working through
 * the app's own tRPC procedures (the callers the route handler builds): the dashboard, the staff member's
 * department checklist, a draft line saved, the manager's order list. Each returns what failed, never throws.
 */
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { withPlatform } from "@/db/scope";
import { users } from "@/db/schema";
import { startSession } from "@/server/accounts/sessions";
import { ROW, type ChecklistRow } from "@/server/checklist/wire";
import { createInnerContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import type { ScaleRestaurant } from "./seed";

export interface ScaleUser {
  restaurant: ScaleRestaurant;
  staff: { id: string; email: string; sessionVersion: number; sessionId: string };
  manager: { id: string; sessionVersion: number; sessionId: string };
  departmentId: string;
}

export async function loadScaleUsers(restaurants: ScaleRestaurant[]): Promise<ScaleUser[]> {
  return withPlatform("test", async (tx) => {
    const out: ScaleUser[] = [];
    for (const r of restaurants) {
      const [staff] = await tx.select({ id: users.id, email: users.email, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, r.staffId));
      const [manager] = await tx.select({ id: users.id, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, r.managerId));
      const [dept] = rowsOf<{ id: string }>(
        await tx.execute(sql`select md.department_id as id from membership_departments md join memberships m on m.id = md.membership_id
          where m.user_id = ${r.staffId} and m.restaurant_id = ${r.id} limit 1`),
      );
      // Each signed in on one device: the session id the server checks on every call.
      const staffSession = await startSession(tx, { userId: r.staffId, userAgent: "scale", ip: null });
      const managerSession = await startSession(tx, { userId: r.managerId, userAgent: "scale", ip: null });
      out.push({
        restaurant: r,
        staff: { ...staff!, sessionId: staffSession },
        manager: { ...manager!, sessionId: managerSession },
        departmentId: dept!.id,
      });
    }
    return out;
  });
}

const describe = (err: unknown) => {
  const e = err as Error & { code?: string };
  return `${e.code ?? e.name}: ${e.message}`.slice(0, 200);
};

/** Saves that found their product moved out of the department by a sync, then succeeded on a fresh list. */
export let staleSaves = 0;

/** One round of a user's work; returns the failures (empty = every request succeeded) and each request's time. */
export async function userRound(u: ScaleUser, round: number): Promise<{ failures: string[]; latenciesMs: number[] }> {
  const failures: string[] = [];
  const latenciesMs: number[] = [];
  const staff = createCaller(createInnerContext({ session: { userId: u.staff.id, sessionVersion: u.staff.sessionVersion, sessionId: u.staff.sessionId }, requestedRestaurantId: u.restaurant.id }));
  const manager = createCaller(createInnerContext({ session: { userId: u.manager.id, sessionVersion: u.manager.sessionVersion, sessionId: u.manager.sessionId }, requestedRestaurantId: u.restaurant.id }));
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    try {
      await fn();
      latenciesMs.push(performance.now() - t0);
    } catch (err) {
      failures.push(`${name}: ${describe(err)}`);
    }
  };
  await step("checklist.dashboard", () => staff.checklist.dashboard());
  // The line saved is one of the checklist just loaded, as in the app: a sync running meanwhile changes which
  // products a department has, so a list read before the load would go stale.
  let rows: ChecklistRow[] = [];
  await step("checklist.department", async () => {
    rows = (await staff.checklist.department({ departmentId: u.departmentId })).rows;
  });
  const productId = rows.length > 0 ? rows[round % Math.min(20, rows.length)]![ROW.productId] : null;
  const quantity = String(1 + (round % 7));
  if (productId)
    await step("checklist.saveLine", async () => {
      try {
        await staff.checklist.saveLine({ departmentId: u.departmentId, productId, quantity });
      } catch (err) {
        // The product left the department between the load and the save (a sync applied meanwhile): the app
        // reloads the checklist, as the user here does; counted apart, a failure only if the fresh list fails too.
        if ((err as { code?: string }).code !== "NOT_FOUND") throw err;
        staleSaves++;
        const fresh = (await staff.checklist.department({ departmentId: u.departmentId })).rows;
        const again = fresh[round % Math.max(1, Math.min(20, fresh.length))]?.[ROW.productId];
        if (again) await staff.checklist.saveLine({ departmentId: u.departmentId, productId: again, quantity });
      }
    });
  await step("orders.list", () => manager.orders.list({}));
  return { failures, latenciesMs };
}
