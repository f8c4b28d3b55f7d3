import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Feature flags: what they are and how one is decided for a restaurant. Pure (no database): server/flags/index.ts
 * reads the rules (environment > database > the definition's default) through the cache.
 */
export const FLAG_KEYS = ["sync.scheduled", "poster.writes", "poster.webhooks", "export.owner"] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

export type FlagRule =
  | { mode: "off" }
  | { mode: "on" }
  /** Only these restaurants. */
  | { mode: "restaurants"; restaurantIds: string[] }
  /** A stable share of restaurants: the same ones stay in as the share grows (see bucketOf). */
  | { mode: "percent"; percent: number };

export interface FlagDefinition {
  key: FlagKey;
  defaultRule: FlagRule;
}

/** Every flag, with the rule that applies when neither the environment nor the admin console set one. */
export const FLAGS: Readonly<Record<FlagKey, FlagDefinition>> = {
  /** The 6-hourly scheduled sync (the sync dispatcher's fan-out); manual and webhook syncs are not affected. */
  "sync.scheduled": { key: "sync.scheduled", defaultRule: { mode: "on" } },
  /** Posting receipts to Poster as supplies. Off: receiving keeps working and the postings wait, pending. */
  "poster.writes": { key: "poster.writes", defaultRule: { mode: "on" } },
  /** Poster webhooks turned into syncs. Off: hooks are answered 200 and logged; the scheduled syncs catch up. */
  "poster.webhooks": { key: "poster.webhooks", defaultRule: { mode: "on" } },
  /** The owner's data export (new in issue 15): rolled out to 5 restaurants first, listed in the admin console. */
  "export.owner": { key: "export.owner", defaultRule: { mode: "restaurants", restaurantIds: [] } },
};

export const flagRuleSchema: z.ZodType<FlagRule> = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("off") }).strict(),
  z.object({ mode: z.literal("on") }).strict(),
  z.object({ mode: z.literal("restaurants"), restaurantIds: z.array(z.uuid()).max(1000) }).strict(),
  z.object({ mode: z.literal("percent"), percent: z.number().int().min(0).max(100) }).strict(),
]);

/** 0..99, stable per (flag, restaurant): a restaurant in at 10% is still in at 20%; flags get different cohorts. */
export function bucketOf(key: FlagKey, restaurantId: string): number {
  return createHash("sha256").update(`${key}:${restaurantId}`).digest().readUInt32BE(0) % 100;
}

export function ruleAllows(rule: FlagRule, key: FlagKey, restaurantId: string | null): boolean {
  switch (rule.mode) {
    case "on":
      return true;
    case "off":
      return false;
    case "restaurants":
      return restaurantId !== null && rule.restaurantIds.includes(restaurantId);
    case "percent":
      return restaurantId !== null && bucketOf(key, restaurantId) < rule.percent;
  }
}

export class FlagConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlagConfigError";
  }
}

/**
 * The environment's global rules, `FLAGS="poster.writes=off,sync.scheduled=on,export.owner=25%,export.owner=<uuid>+<uuid>"`
 * (a later entry for the same flag wins). A flag set here is fixed: the admin console shows it and cannot change it.
 */
export function parseEnvFlags(spec: string | undefined): Partial<Record<FlagKey, FlagRule>> {
  const out: Partial<Record<FlagKey, FlagRule>> = {};
  for (const raw of (spec ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf("=");
    const key = entry.slice(0, eq).trim() as FlagKey;
    const value = entry.slice(eq + 1).trim().toLowerCase();
    if (eq < 1 || !FLAG_KEYS.includes(key)) throw new FlagConfigError(`FLAGS: "${entry}" is not <flag>=<value>; flags: ${FLAG_KEYS.join(", ")}`);
    let rule: FlagRule;
    if (value === "on" || value === "off") rule = { mode: value };
    else if (/^\d{1,3}%$/.test(value) && Number(value.slice(0, -1)) <= 100) rule = { mode: "percent", percent: Number(value.slice(0, -1)) };
    else {
      const ids = value.split("+").map((s) => s.trim());
      if (!ids.every((id) => z.uuid().safeParse(id).success)) throw new FlagConfigError(`FLAGS: "${entry}": the value is on, off, N% or restaurant ids joined by +`);
      rule = { mode: "restaurants", restaurantIds: ids };
    }
    out[key] = rule;
  }
  return out;
}
