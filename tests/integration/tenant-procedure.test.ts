import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform, withTenant } from "@/db/scope";
import { departments, users } from "@/db/schema";
import { createCallerFactory, createInnerContext, createTRPCRouter, tenant } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";

// A router of test procedures built from the real tenantProcedure.
const probeRouter = createTRPCRouter({
  writeThenThrow: tenant("catalog.manage").mutation(async ({ ctx }) => {
    await ctx.db.insert(departments).values({ restaurantId: ctx.restaurant.id, name: "Written before the throw" });
    throw new TRPCError({ code: "BAD_REQUEST", message: "nope" });
  }),
  listDepartments: tenant("restaurant.read").query(({ ctx }) => ctx.db.select().from(departments)),
});
const probe = createCallerFactory(probeRouter);

describe(`tenantProcedure (${testDatabaseKind()})`, () => {
  let a: { id: string };
  let b: { id: string };
  let manager: { id: string; sessionVersion: number; sessionId: string };
  let outsider: { id: string; sessionVersion: number; sessionId: string };

  beforeAll(async () => {
    await openTestDatabase();
    a = await createRestaurant();
    b = await createRestaurant();
    manager = await createUser();
    outsider = await createUser();
    await addMembership({ restaurantId: a.id, userId: manager.id, role: "manager" });
    await addMembership({ restaurantId: b.id, userId: outsider.id, role: "owner" });
    await withTenant(b.id, (tx) => tx.insert(departments).values({ restaurantId: b.id, name: "B only" }));
  });
  afterAll(closeDatabase);

  const ctxFor = (user: { id: string; sessionVersion: number; sessionId: string }, restaurantId: string | null) =>
    createInnerContext({ session: { userId: user.id, sessionVersion: user.sessionVersion, sessionId: user.sessionId }, requestedRestaurantId: restaurantId });

  it("rolls back the writes of a procedure that fails", async () => {
    await expect(probe(ctxFor(manager, a.id)).writeThenThrow()).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const left = await withPlatform("test", (tx) => tx.select().from(departments).where(eq(departments.name, "Written before the throw")));
    expect(left).toHaveLength(0);
  });

  it("answers FORBIDDEN to a signed-in user without membership in the picked restaurant", async () => {
    await expect(probe(ctxFor(manager, b.id)).listDepartments()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCaller(ctxFor(manager, b.id)).restaurant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("answers UNAUTHORIZED without a session", async () => {
    await expect(createCaller(createInnerContext({ requestedRestaurantId: a.id })).restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("falls back to the user's own restaurant when none is picked", async () => {
    const current = await createCaller(ctxFor(manager, null)).restaurant.current();
    expect(current.restaurant.id).toBe(a.id);
    expect(current.role).toBe("manager");
  });

  it("refuses a switch to a restaurant the user does not belong to", async () => {
    await expect(createCaller(ctxFor(manager, a.id)).restaurant.switch({ restaurantId: b.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("ends the session on the next call when the session version is bumped", async () => {
    const user = await createUser();
    await addMembership({ restaurantId: a.id, userId: user.id, role: "staff" });
    const caller = createCaller(ctxFor(user, a.id));
    await expect(caller.restaurant.current()).resolves.toBeTruthy();
    await withPlatform("test", (tx) => tx.update(users).set({ sessionVersion: user.sessionVersion + 1 }).where(eq(users.id, user.id)));
    await expect(caller.restaurant.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
