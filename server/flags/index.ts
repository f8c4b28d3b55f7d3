import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, featureFlags } from "@/db/schema";
import { afterCommit } from "@/db/scope";
import { getCache } from "@/server/cache";
import { env } from "@/server/env";
import { FLAG_KEYS, FLAGS, flagRuleSchema, parseEnvFlags, ruleAllows, type FlagKey, type FlagRule } from "./rules";

export { bucketOf, FLAG_KEYS, FLAGS, FlagConfigError, flagRuleSchema, parseEnvFlags, ruleAllows, type FlagKey, type FlagRule } from "./rules";

/**
 * Flags are decided per restaurant: the environment's rule (FLAGS, global and fixed) wins, then the rule a platform
 * admin set in the console (feature_flags, read through the cache), then the definition's default. Works in a
 * tenant transaction (the table is readable there) and in the platform scope.
 */
const CACHE_KEY = "flags:v1";
/** Another instance (in-memory cache) sees an admin's change within this; with Redis the change clears it for all. */
const CACHE_TTL_S = 30;

interface StoredFlag { rule: FlagRule; updatedAt: string; updatedBy: string | null }
type Stored = Partial<Record<FlagKey, StoredFlag>>;

export type FlagSource = "environment" | "admin" | "default";

function toRule(row: typeof featureFlags.$inferSelect): FlagRule | null {
  const parsed = flagRuleSchema.safeParse(
    row.mode === "restaurants" ? { mode: row.mode, restaurantIds: row.restaurantIds } : row.mode === "percent" ? { mode: row.mode, percent: row.percent } : { mode: row.mode },
  );
  return parsed.success ? parsed.data : null;
}

function storedFlags(tx: Tx): Promise<Stored> {
  return getCache().getOrSet(CACHE_KEY, CACHE_TTL_S, async () => {
    const out: Stored = {};
    for (const row of await tx.select().from(featureFlags)) {
      const rule = toRule(row);
      // A row of a flag that no longer exists, or unreadable, is ignored (the default applies).
      if (rule && (FLAG_KEYS as readonly string[]).includes(row.key)) out[row.key as FlagKey] = { rule, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
    }
    return out;
  });
}

export async function flagRule(tx: Tx, key: FlagKey): Promise<{ rule: FlagRule; source: FlagSource }> {
  const fromEnv = parseEnvFlags(env().FLAGS)[key];
  if (fromEnv) return { rule: fromEnv, source: "environment" };
  const stored = (await storedFlags(tx))[key];
  if (stored) return { rule: stored.rule, source: "admin" };
  return { rule: FLAGS[key].defaultRule, source: "default" };
}

export async function isFlagOn(tx: Tx, key: FlagKey, restaurantId: string | null): Promise<boolean> {
  return ruleAllows((await flagRule(tx, key)).rule, key, restaurantId);
}

/** Every flag for one restaurant (the UI's "switched off" notices). */
export async function flagsFor(tx: Tx, restaurantId: string): Promise<Record<FlagKey, boolean>> {
  const out = {} as Record<FlagKey, boolean>;
  for (const key of FLAG_KEYS) out[key] = await isFlagOn(tx, key, restaurantId);
  return out;
}

/** The admin console's list: each flag's rule, where it comes from, and who set it last. Platform scope. */
export async function listFlags(tx: Tx) {
  const stored = await storedFlags(tx);
  return Promise.all(
    FLAG_KEYS.map(async (key) => {
      const { rule, source } = await flagRule(tx, key);
      return { key, rule, source, defaultRule: FLAGS[key].defaultRule, updatedAt: stored[key]?.updatedAt ?? null, updatedBy: stored[key]?.updatedBy ?? null };
    }),
  );
}

export class FlagLockedError extends Error {
  constructor(readonly key: FlagKey) {
    super(`The flag ${key} is set by the environment (FLAGS) and cannot be changed in the console.`);
    this.name = "FlagLockedError";
  }
}

/**
 * A platform admin sets a flag's rule (null: back to the default): stored, audited in the same transaction, the
 * cache cleared after commit. Returns the rules before and after.
 */
export async function setFlag(tx: Tx, input: { actorUserId: string; key: FlagKey; rule: FlagRule | null }): Promise<{ before: FlagRule; after: FlagRule }> {
  const current = await flagRule(tx, input.key);
  if (current.source === "environment") throw new FlagLockedError(input.key);
  const rule = input.rule;
  if (rule) {
    const values = {
      mode: rule.mode,
      restaurantIds: rule.mode === "restaurants" ? [...new Set(rule.restaurantIds)] : [],
      percent: rule.mode === "percent" ? rule.percent : 0,
      updatedBy: input.actorUserId,
      updatedAt: new Date(),
    };
    await tx.insert(featureFlags).values({ key: input.key, ...values }).onConflictDoUpdate({ target: featureFlags.key, set: values });
  } else {
    await tx.delete(featureFlags).where(eq(featureFlags.key, input.key));
  }
  const after = rule ?? FLAGS[input.key].defaultRule;
  await tx.insert(auditLog).values({
    restaurantId: null,
    actorUserId: input.actorUserId,
    action: "admin.flag_set",
    targetType: "flag",
    targetId: input.key,
    data: { before: current.rule, after, reset: rule === null },
  });
  // Cleared now (this transaction reads its own write) and again once committed (others read the new rule).
  await getCache().del(CACHE_KEY);
  afterCommit(tx, () => getCache().del(CACHE_KEY));
  return { before: current.rule, after };
}
