import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "@/db/scope";
import { departments, membershipDepartments, memberships, users } from "@/db/schema";
import { can, type Access, type Actor, type Role } from "@/server/auth/permissions";
import { createCallerFactory, createInnerContext, createTRPCRouter, publicProcedure, tenant } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import type { AnyRouter } from "@trpc/server";
import { addMembership, closeDatabase, createRestaurant, createUser, openTestDatabase, testDatabaseKind } from "../support/database";
import { callProcedure, isValidAccess, listProcedures, outcomeOf } from "../support/procedures";
import { sessionOf } from "../support/tenant-fixture";

/**
 * The generated access matrix: every procedure of the app router × every persona, called with a deliberately
 * invalid input. Authorization runs before input parsing, so a denied persona gets UNAUTHORIZED/FORBIDDEN and an
 * allowed one gets past it (BAD_REQUEST or a result). The expectation comes from the procedure's declared access
 * and the permission table, never from a per-procedure list: a new procedure is covered the day it is added.
 */

type Verdict = "allowed" | "UNAUTHORIZED" | "FORBIDDEN";

interface PersonaSpec {
  name: string;
  /** Membership in restaurant A (absent: not a member of A). */
  membership?: { role: Role; canSend: boolean; canReceive: boolean; staffDepartment: boolean; active: boolean };
  userActive: boolean;
  platformAdmin: boolean;
  /** Owner of restaurant B (and nothing in A). */
  ownsB?: boolean;
  signedIn: boolean;
}

const PERSONAS: PersonaSpec[] = [
  { name: "no session", signedIn: false, userActive: true, platformAdmin: false },
  { name: "owner A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "owner", canSend: true, canReceive: true, staffDepartment: false, active: true } },
  { name: "manager A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "manager", canSend: true, canReceive: true, staffDepartment: false, active: true } },
  { name: "staff A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "staff", canSend: false, canReceive: false, staffDepartment: true, active: true } },
  { name: "staff+send A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "staff", canSend: true, canReceive: false, staffDepartment: true, active: true } },
  { name: "staff+receive A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "staff", canSend: false, canReceive: true, staffDepartment: true, active: true } },
  { name: "owner of B only", signedIn: true, userActive: true, platformAdmin: false, ownsB: true },
  { name: "deactivated user of A", signedIn: true, userActive: false, platformAdmin: false, membership: { role: "owner", canSend: true, canReceive: true, staffDepartment: false, active: true } },
  { name: "deactivated membership A", signedIn: true, userActive: true, platformAdmin: false, membership: { role: "owner", canSend: true, canReceive: true, staffDepartment: false, active: false } },
  { name: "platform admin", signedIn: true, userActive: true, platformAdmin: true },
];

interface Persona extends PersonaSpec {
  userId?: string;
  membershipId?: string;
  departmentIds: string[];
}

/** What the permission table says this persona gets from a procedure declaring `access`. */
function expectedVerdict(access: Access, persona: Persona): Verdict {
  if (access === "public") return "allowed";
  if (!persona.signedIn || !persona.userActive) return "UNAUTHORIZED";
  if (access === "authenticated") return "allowed";
  if (access === "platform-admin") return persona.platformAdmin ? "allowed" : "FORBIDDEN";
  const m = persona.membership;
  if (!m || !m.active) return "FORBIDDEN";
  const actor: Actor = {
    userId: persona.userId!,
    membershipId: persona.membershipId!,
    role: m.role,
    canSend: m.canSend,
    canReceive: m.canReceive,
    departmentIds: persona.departmentIds,
    isPlatformAdmin: persona.platformAdmin,
  };
  return can(actor, access.tenant) ? "allowed" : "FORBIDDEN";
}

interface MatrixResult {
  missingAccess: string[];
  mismatches: string[];
  table: string;
}

const PROBE = { __probe: true };

/** Runs every procedure of `router` for every persona; `before` restores the personas between procedures. */
async function runMatrix(router: AnyRouter, personas: Persona[], restaurantA: string, before: () => Promise<void>): Promise<MatrixResult> {
  const createCaller = createCallerFactory(router);
  const procedures = listProcedures(router);
  const missingAccess = procedures.filter((p) => !isValidAccess(p.access)).map((p) => `${p.path}: meta.access is ${JSON.stringify(p.access)}`);
  const mismatches: string[] = [];
  const rows: string[] = [];
  for (const proc of procedures) {
    if (!isValidAccess(proc.access)) continue;
    await before();
    const cells: string[] = [];
    for (const persona of personas) {
      const session = persona.signedIn && persona.userId ? await sessionOf(persona.userId) : null;
      const caller = createCaller(createInnerContext({ session, requestedRestaurantId: restaurantA }));
      const outcome = await outcomeOf(callProcedure(caller, proc.path, PROBE));
      const got: Verdict | "error" = outcome.ok
        ? "allowed"
        : outcome.code === "UNAUTHORIZED" || outcome.code === "FORBIDDEN"
          ? outcome.code
          : outcome.code === "NOT_A_TRPC_ERROR" || outcome.code === "INTERNAL_SERVER_ERROR"
            ? "error"
            : "allowed";
      const want = expectedVerdict(proc.access, persona);
      const mark = got === want ? { allowed: "✓", UNAUTHORIZED: "U", FORBIDDEN: "F", error: "!" }[got] : "✗";
      cells.push(mark.padEnd(3));
      if (got !== want) {
        const detail = outcome.ok ? "a result" : `${outcome.code}: ${outcome.message}`;
        mismatches.push(`${proc.path} × ${persona.name}: expected ${want}, got ${got} (${detail})`);
      }
    }
    rows.push(`${proc.path.padEnd(36)} ${JSON.stringify(proc.access).padEnd(32)} ${cells.join("")}`);
  }
  const header = `${"procedure".padEnd(36)} ${"access".padEnd(32)} ${personas.map((_, i) => String(i + 1).padEnd(3)).join("")}`;
  const legend = personas.map((p, i) => `${i + 1}=${p.name}`).join(", ");
  return { missingAccess, mismatches, table: [legend, header, ...rows].join("\n") };
}

describe(`access matrix (${testDatabaseKind()})`, () => {
  let restaurantA: string;
  let personas: Persona[];
  let restore: () => Promise<void>;

  beforeAll(async () => {
    await openTestDatabase();
    const a = await createRestaurant();
    const b = await createRestaurant();
    restaurantA = a.id;
    const [dept] = await withPlatform("test", (tx) => tx.insert(departments).values({ restaurantId: a.id, name: "Kitchen" }).returning());
    personas = [];
    for (const spec of PERSONAS) {
      if (!spec.signedIn) {
        personas.push({ ...spec, departmentIds: [] });
        continue;
      }
      const user = await createUser({ isPlatformAdmin: spec.platformAdmin, isActive: spec.userActive });
      const persona: Persona = { ...spec, userId: user.id, departmentIds: [] };
      if (spec.membership) {
        const m = await addMembership({
          restaurantId: a.id,
          userId: user.id,
          role: spec.membership.role,
          canSend: spec.membership.canSend,
          canReceive: spec.membership.canReceive,
          isActive: spec.membership.active,
        });
        persona.membershipId = m.id;
        if (spec.membership.staffDepartment) {
          await withPlatform("test", (tx) => tx.insert(membershipDepartments).values({ restaurantId: a.id, membershipId: m.id, departmentId: dept!.id }));
          persona.departmentIds = [dept!.id];
        }
      }
      if (spec.ownsB) await addMembership({ restaurantId: b.id, userId: user.id, role: "owner", canSend: true, canReceive: true });
      personas.push(persona);
    }
    // A procedure that legitimately succeeds for a persona (no input to reject) may change it; put it back.
    restore = () =>
      withPlatform("test", async (tx) => {
        for (const p of personas) {
          if (!p.userId) continue;
          await tx.update(users).set({ isActive: p.userActive, isPlatformAdmin: p.platformAdmin }).where(eq(users.id, p.userId));
          if (p.membership && p.membershipId) {
            const { role, canSend, canReceive, active } = p.membership;
            await tx.update(memberships).set({ role, canSend, canReceive, isActive: active }).where(eq(memberships.id, p.membershipId));
          }
        }
      });
  });
  afterAll(closeDatabase);

  it("every procedure declares a valid access level", () => {
    const procedures = listProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(0);
    const missing = procedures.filter((p) => !isValidAccess(p.access)).map((p) => `${p.path}: ${JSON.stringify(p.access)}`);
    expect(missing, "procedures without meta.access (build them from tenant()/authed()/platformAdmin()/open())").toEqual([]);
  });

  it("every procedure × persona answers as the permission table says", { timeout: 300_000 }, async () => {
    const result = await runMatrix(appRouter, personas, restaurantA, restore);
    console.info(`access matrix (✓ allowed, U unauthorized, F forbidden, ✗ mismatch)\n${result.table}`);
    expect(result.missingAccess).toEqual([]);
    expect(result.mismatches).toEqual([]);
  });

  it("the harness itself fails on an undeclared procedure and on a declared permission that is not enforced", async () => {
    // Built on publicProcedure with a tenant meta: it claims team.manage but checks nothing.
    const broken = createTRPCRouter({
      undeclared: publicProcedure.query(() => "no meta"),
      claimsButOpen: publicProcedure.meta({ access: { tenant: "team.manage" } }).query(() => "leaked"),
      honest: tenant("team.manage").query(() => "fine"),
    });
    const result = await runMatrix(broken, personas, restaurantA, restore);
    expect(result.missingAccess).toEqual(["undeclared: meta.access is undefined"]);
    const leaks = result.mismatches.filter((m) => m.startsWith("claimsButOpen × "));
    expect(leaks).toContain("claimsButOpen × no session: expected UNAUTHORIZED, got allowed (a result)");
    expect(leaks).toContain("claimsButOpen × staff A: expected FORBIDDEN, got allowed (a result)");
    expect(leaks).toContain("claimsButOpen × owner of B only: expected FORBIDDEN, got allowed (a result)");
    expect(result.mismatches.filter((m) => m.startsWith("honest × "))).toEqual([]);
  });
});
