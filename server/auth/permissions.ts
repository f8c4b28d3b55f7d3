import type { Role } from "@/vocabulary/constants";

/**
 * The one place that says who may do what. Every tRPC procedure declares one of these in its meta and the
 * server checks it; the UI asks the same table to decide what to show.
 */
export type { Role };

export interface Actor {
  userId: string;
  membershipId: string;
  role: Role;
  canSend: boolean;
  canReceive: boolean;
  /** Departments a staff member works in; managers and owners work in all. */
  departmentIds: readonly string[];
  isPlatformAdmin: boolean;
}

const managerOrOwner = (a: Actor) => a.role === "owner" || a.role === "manager";

export const PERMISSIONS = {
  /** See the restaurant, its departments and catalogue. */
  "restaurant.read": () => true,
  /** Fill and submit checklists (staff: in their departments only, checked by the domain). */
  "checklist.fill": () => true,
  /** See purchase orders and their history. */
  "orders.read": (a: Actor) => managerOrOwner(a) || a.canSend || a.canReceive,
  /** Merge requests into orders, edit and cancel orders, assign unsorted products. */
  "orders.manage": managerOrOwner,
  "orders.send": (a: Actor) => managerOrOwner(a) || a.canSend,
  "orders.receive": (a: Actor) => managerOrOwner(a) || a.canReceive,
  /** Suppliers, categories, par levels, local products. */
  "catalog.manage": managerOrOwner,
  /** Invite and change members (managers: never owners, checked by the domain). */
  "team.manage": managerOrOwner,
  /** Connect, reconnect and disconnect Poster; restaurant settings. */
  "poster.manage": (a: Actor) => a.role === "owner",
  "sync.run": managerOrOwner,
  /** Download all of the restaurant's data (the owner's export). */
  "data.export": (a: Actor) => a.role === "owner",
} as const satisfies Record<string, (a: Actor) => boolean>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  return PERMISSIONS[permission](actor);
}

export function canUseDepartment(actor: Actor, departmentId: string): boolean {
  return actor.role !== "staff" || actor.departmentIds.includes(departmentId);
}

/** What a procedure requires: a restaurant permission, or one of the non-tenant levels. */
export type Access = { tenant: Permission } | "public" | "authenticated" | "platform-admin";
