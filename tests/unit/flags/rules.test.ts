import { describe, expect, it } from "vitest";
import { bucketOf, FlagConfigError, parseEnvFlags, ruleAllows } from "@/server/flags/rules";

const A = "3f0c2a8e-6b1d-4c3e-9f2a-1b2c3d4e5f60";
const B = "7d9e1f20-3a4b-4c5d-8e6f-708192a3b4c5";

describe("feature flag rules", () => {
  it("reads the environment's FLAGS: on/off, a percentage, restaurant ids; a later entry wins", () => {
    expect(parseEnvFlags(undefined)).toEqual({});
    expect(parseEnvFlags(" poster.writes=OFF , sync.scheduled=on,export.owner=25%,poster.webhooks=" + `${A}+${B}`)).toEqual({
      "poster.writes": { mode: "off" },
      "sync.scheduled": { mode: "on" },
      "export.owner": { mode: "percent", percent: 25 },
      "poster.webhooks": { mode: "restaurants", restaurantIds: [A, B] },
    });
    expect(parseEnvFlags("poster.writes=off,poster.writes=on")).toEqual({ "poster.writes": { mode: "on" } });
  });

  it("refuses what it cannot read instead of guessing", () => {
    for (const bad of ["poster.writes", "unknown.flag=on", "poster.writes=maybe", "export.owner=101%", "=on"]) {
      expect(() => parseEnvFlags(bad), bad).toThrow(FlagConfigError);
    }
  });

  it("decides a restaurant by the rule; a percentage is stable per flag and restaurant", () => {
    expect(ruleAllows({ mode: "on" }, "poster.writes", A)).toBe(true);
    expect(ruleAllows({ mode: "off" }, "poster.writes", A)).toBe(false);
    expect(ruleAllows({ mode: "restaurants", restaurantIds: [A] }, "export.owner", A)).toBe(true);
    expect(ruleAllows({ mode: "restaurants", restaurantIds: [A] }, "export.owner", B)).toBe(false);
    expect(ruleAllows({ mode: "percent", percent: 100 }, "export.owner", B)).toBe(true);
    expect(ruleAllows({ mode: "percent", percent: 0 }, "export.owner", B)).toBe(false);
    // No restaurant (a platform-wide question) is in no list and no share.
    expect(ruleAllows({ mode: "percent", percent: 99 }, "export.owner", null)).toBe(false);
    expect(bucketOf("export.owner", A)).toBe(bucketOf("export.owner", A));
    expect(bucketOf("export.owner", A)).toBeGreaterThanOrEqual(0);
    expect(bucketOf("export.owner", A)).toBeLessThan(100);
  });
});
