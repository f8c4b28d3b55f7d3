import { describe, expect, it } from "vitest";
import {
  defaultHashParams,
  hashPassword,
  passwordNeedsRehash,
  PRODUCTION_HASH_PARAMS,
  TEST_HASH_PARAMS,
  validateNewPassword,
  verifyPassword,
} from "@/server/auth/password";

describe("hashPassword / verifyPassword", () => {
  it("uses cheap argon2id parameters under NODE_ENV=test", async () => {
    expect(defaultHashParams()).toEqual(TEST_HASH_PARAMS);
    const h = await hashPassword("correct horse battery");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verifyPassword(h, "correct horse battery")).toBe(true);
    expect(await verifyPassword(h, "correct horse batterY")).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
  });

  it("hashes with production parameters when asked", async () => {
    const h = await hashPassword("correct horse battery", PRODUCTION_HASH_PARAMS);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "correct horse battery")).toBe(true);
    expect(passwordNeedsRehash(h, PRODUCTION_HASH_PARAMS)).toBe(false);
    expect(passwordNeedsRehash(h, TEST_HASH_PARAMS)).toBe(true);
  });

  it("treats malformed hashes as a failed verification", async () => {
    expect(await verifyPassword("", "x")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
    expect(await verifyPassword("$argon2id$v=19$m=1024,t=1,p=1$broken", "x")).toBe(false);
    expect(passwordNeedsRehash("garbage")).toBe(true);
  });
});

describe("validateNewPassword", () => {
  it("enforces length bounds in characters", () => {
    expect(validateNewPassword("short")).toMatch(/at least 10/);
    expect(validateNewPassword("ёжик-в-туман")).toBeNull(); // 12 characters, more bytes
    expect(validateNewPassword("a".repeat(257))).toMatch(/at most 256/);
    expect(validateNewPassword("          ")).toMatch(/blank|too easy/);
  });

  it("rejects common passwords and easy patterns", () => {
    for (const pw of ["password123", "1234567890", "qwertyuiop", "iloveyou12", "Password1!", "aaaaaaaaaaaa", "abcdefghijk"]) {
      expect(validateNewPassword(pw), pw).not.toBeNull();
    }
    expect(validateNewPassword("1234567890")).toMatch(/common|easy/);
  });

  it("rejects passwords containing the email", () => {
    expect(validateNewPassword("maria.kowalska@example.com", { email: "maria.kowalska@example.com" })).toMatch(/email/);
    expect(validateNewPassword("Maria.Kowalska!2024", { email: "maria.kowalska@example.com" })).toMatch(/email/);
    // short local parts don't turn every password containing "jo" into an error
    expect(validateNewPassword("tram-kettle-jo-velvet", { email: "jo@example.com" })).toBeNull();
  });

  it("accepts strong passwords", () => {
    expect(validateNewPassword("tram kettle velvet orbit")).toBeNull();
    expect(validateNewPassword("c7#Lq9!vRz2@")).toBeNull();
    expect(validateNewPassword("a".repeat(3) + "Xk9$mP2vLq8#")).toBeNull();
  });
});

describe("validateNewPassword cost", () => {
  it("stays cheap even for long adversarial input", () => {
    validateNewPassword("warm-up-password-check");
    const start = performance.now();
    for (const pw of ["Ab1!".repeat(64), "password".repeat(32), "x".repeat(256), "c7#Lq9!vRz2@"]) validateNewPassword(pw);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});
