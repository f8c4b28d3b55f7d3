import { sql } from "drizzle-orm";
import { numeric, pgPolicy, pgRole, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The runtime roles. Both are created (idempotently) by a custom migration, so drizzle-kit must treat them as
 * existing. `app_user` runs every tenant transaction; `app_admin` is the one explicit cross-tenant path.
 */
export const appUser = pgRole("app_user").existing();
export const appAdmin = pgRole("app_admin").existing();

/** The tenant of the current transaction; `''` (not NULL) once a session has set it, hence the nullif. */
export const currentTenant = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;

export const platformOnly = sql`current_user = 'app_admin'`;

/** The two policies every tenant table carries: its own rows for app_user, everything for app_admin. */
export function tenantPolicies(table: string, column = "restaurant_id") {
  const own = sql`${sql.identifier(column)} = ${currentTenant}`;
  return [
    pgPolicy(`${table}_tenant_isolation`, { as: "permissive", for: "all", to: appUser, using: own, withCheck: own }),
    // Policies also apply to members of a role, and the migrating owner is a member of app_admin (to SET ROLE):
    // checking current_user keeps the owner itself at zero rows under FORCE.
    pgPolicy(`${table}_platform_access`, { as: "permissive", for: "all", to: appAdmin, using: platformOnly, withCheck: platformOnly }),
  ];
}

export const id = () => uuid("id").primaryKey().defaultRandom();
export const restaurantId = () => uuid("restaurant_id").notNull();
export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Quantities are decimal (2.5 kg), never float: numeric(14,3), read as strings. */
export const quantity = (name: string) => numeric(name, { precision: 14, scale: 3 });
