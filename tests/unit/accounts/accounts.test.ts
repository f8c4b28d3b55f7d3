import { afterEach, describe, expect, it } from "vitest";
import { checkNewPassword } from "@/server/accounts/password-problems";
import { hashPasswordToken, PASSWORD_TOKEN_PATTERN, passwordTokenUrl } from "@/server/accounts/password-tokens";
import { sessionCookieOptions } from "@/server/auth/config";
import { resetEnvForTests } from "@/server/env";
import { outboxVisible } from "@/server/mail/outbox";
import { isCrossSiteMutation } from "@/server/security/origin";

const saved = { ...process.env };
function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("session cookies", () => {
  it("are httpOnly, SameSite=Lax and __Secure- prefixed + Secure under https", () => {
    const https = sessionCookieOptions("https://checklist.example");
    expect(https.useSecureCookies).toBe(true);
    expect(https.cookies.sessionToken.name).toBe("__Secure-authjs.session-token");
    expect(https.cookies.sessionToken.options).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
  });

  it("are not marked Secure on plain-http development URLs (the browser would drop them)", () => {
    const http = sessionCookieOptions("http://localhost:3000");
    expect(http.cookies.sessionToken.name).toBe("authjs.session-token");
    expect(http.cookies.sessionToken.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
  });
});

describe("isCrossSiteMutation", () => {
  const req = (method: string, origin?: string) =>
    new Request("https://checklist.example/api/trpc/x", { method, headers: origin ? { origin } : {} });

  it("refuses a state-changing request from another origin", () => {
    setEnv({ APP_URL: "https://checklist.example" });
    expect(isCrossSiteMutation(req("POST", "https://evil.example"))).toBe(true);
    expect(isCrossSiteMutation(req("DELETE", "https://evil.example"))).toBe(true);
    // Same host, other scheme or port is another origin.
    expect(isCrossSiteMutation(req("POST", "http://checklist.example"))).toBe(true);
    expect(isCrossSiteMutation(req("PUT", "https://checklist.example:8443"))).toBe(true);
    expect(isCrossSiteMutation(req("POST", "null"))).toBe(true);
  });

  it("lets through our own origin, reads, and requests without Origin (no browser cookies to forge)", () => {
    setEnv({ APP_URL: "https://checklist.example/" });
    expect(isCrossSiteMutation(req("POST", "https://checklist.example"))).toBe(false);
    expect(isCrossSiteMutation(req("GET", "https://evil.example"))).toBe(false);
    expect(isCrossSiteMutation(req("HEAD", "https://evil.example"))).toBe(false);
    expect(isCrossSiteMutation(req("POST"))).toBe(false);
  });
});

describe("password tokens", () => {
  it("builds links from APP_URL only", () => {
    setEnv({ APP_URL: "https://checklist.example" });
    const token = "A".repeat(43);
    expect(passwordTokenUrl(token)).toBe(`https://checklist.example/reset-password/${token}`);
  });

  it("hashes with sha256 and recognises only 43-character base64url tokens", () => {
    expect(hashPasswordToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(PASSWORD_TOKEN_PATTERN.test("a".repeat(43))).toBe(true);
    expect(PASSWORD_TOKEN_PATTERN.test("a".repeat(42))).toBe(false);
    expect(PASSWORD_TOKEN_PATTERN.test(`${"a".repeat(42)}/`)).toBe(false);
  });
});

describe("checkNewPassword", () => {
  it("names each problem of the policy", () => {
    expect(checkNewPassword("short")?.problem).toBe("tooShort");
    expect(checkNewPassword("x".repeat(300))?.problem).toBe("tooLong");
    expect(checkNewPassword(" ".repeat(12))?.problem).toBe("blank");
    expect(checkNewPassword("my-chef.anna.rules", { email: "chef.anna@cafe.test" })?.problem).toBe("containsEmail");
    expect(checkNewPassword("1234567890")?.problem).toBe("common");
    expect(checkNewPassword("aaaaaaaaaaaa")?.problem).toBe("weak");
    expect(checkNewPassword("violet tractor sings quietly")).toBeNull();
  });
});

describe("outboxVisible", () => {
  it("shows the outbox only while mail is not really sent, and then only in dev, when opted in, or to a platform admin", () => {
    setEnv({ SMTP_URL: undefined, MAIL_OUTBOX_PUBLIC: undefined, NODE_ENV: "development" });
    expect(outboxVisible(null)).toBe(true);
    setEnv({ NODE_ENV: "production" });
    expect(outboxVisible(null)).toBe(false);
    expect(outboxVisible({ isPlatformAdmin: false })).toBe(false);
    expect(outboxVisible({ isPlatformAdmin: true })).toBe(true);
    setEnv({ MAIL_OUTBOX_PUBLIC: "true" });
    expect(outboxVisible(null)).toBe(true);
    setEnv({ SMTP_URL: "smtp://mail.example:587" });
    expect(outboxVisible({ isPlatformAdmin: true })).toBe(false);
  });
});
