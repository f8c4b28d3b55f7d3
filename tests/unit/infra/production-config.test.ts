import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env, posterApplication, productionConfigProblems, resetEnvForTests, simulatorEnabled } from "@/server/env";
import { resetEmbeddedSimulator } from "@/simulator";
import { posterTarget } from "@/server/poster/transport";

// The simulator route asks who is signed in only for its control API; nobody here, or a platform admin.
const viewer = vi.hoisted(() => ({ current: null as null | { isPlatformAdmin: boolean } }));
vi.mock("@/server/auth/session", () => ({ getCurrentUser: () => Promise.resolve(viewer.current) }));

const saved = { ...process.env };
/** Only the variables a case names: every other one the app reads is unset. */
function setEnv(vars: Record<string, string>) {
  for (const key of Object.keys(process.env)) {
    if (/^(DATABASE_|POSTER_|AUTH_|TOKEN_|BACKUP_|APP_URL|UPSTASH_|QSTASH_|SMTP_|MAIL_|NODE_ENV)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, { POSTER_SIM_WEBHOOK_URL: "off" }, vars);
  resetEnvForTests();
  resetEmbeddedSimulator();
}
beforeEach(() => {
  viewer.current = null;
});
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
  resetEmbeddedSimulator();
});

const SECRETS = { AUTH_SECRET: "a-production-secret-of-enough-length", TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}` };
const COMPLETE = {
  NODE_ENV: "production",
  ...SECRETS,
  APP_URL: "https://checklist.example",
  DATABASE_URL: "postgres://app@db.example/app",
  POSTER_API_URL: "https://joinposter.com",
  POSTER_APPLICATION_ID: "1234",
  POSTER_APPLICATION_SECRET: "0123456789abcdef0123456789abcdef",
  BACKUP_ENCRYPTION_KEYS: `b1:${Buffer.alloc(32, 2).toString("base64")}`,
  BACKUP_S3_BUCKET: "checklist-backups",
};

describe("production configuration", () => {
  it("names every built-in default a production server would otherwise run with (the attack's setup)", () => {
    // AUTH_SECRET and TOKEN_ENCRYPTION_KEYS set, everything else left at the README's defaults.
    setEnv({ NODE_ENV: "production", ...SECRETS });
    const problems = productionConfigProblems(env()).join("\n");
    for (const name of ["APP_URL", "POSTER_APPLICATION_ID", "POSTER_APPLICATION_SECRET", "POSTER_API_URL", "DATABASE_URL", "BACKUP_ENCRYPTION_KEYS"]) {
      expect(problems).toContain(`${name} is not set`);
    }
    expect(problems).toContain("POSTER_SIMULATOR=embedded");
    expect(problems).toContain("Backup storage is not set");
    expect(problems).not.toContain("AUTH_SECRET");
  });

  it("is satisfied by a complete configuration, and by the demo switch instead of Poster and Postgres", () => {
    setEnv(COMPLETE);
    expect(productionConfigProblems(env())).toEqual([]);
    const { DATABASE_URL: _db, POSTER_API_URL: _api, ...demo } = COMPLETE;
    setEnv({ ...demo, POSTER_SIMULATOR: "embedded" });
    expect(productionConfigProblems(env())).toEqual([]);
    setEnv({ ...COMPLETE, POSTER_SIMULATOR: "embedded" });
    expect(productionConfigProblems(env()).join()).toContain("both set");
  });

  it("requires the secrets themselves, and consistent Upstash settings", () => {
    setEnv({ NODE_ENV: "production" });
    const problems = productionConfigProblems(env()).join("\n");
    expect(problems).toContain("AUTH_SECRET is not set");
    expect(problems).toContain("TOKEN_ENCRYPTION_KEYS is not set");
    setEnv({ ...COMPLETE, QSTASH_TOKEN: "q", UPSTASH_REDIS_REST_URL: "https://redis.example" });
    expect(productionConfigProblems(env())).toEqual([expect.stringContaining("UPSTASH_REDIS_REST_TOKEN"), expect.stringContaining("QSTASH_CURRENT_SIGNING_KEY")]);
  });

  it("never falls back to the simulator's application secret in production", () => {
    setEnv({ NODE_ENV: "production", ...SECRETS });
    expect(() => posterApplication()).toThrow(/POSTER_APPLICATION_ID and POSTER_APPLICATION_SECRET are required/);
    setEnv({ NODE_ENV: "development" });
    expect(posterApplication()).toEqual({ id: "sim-app", secret: "sim-secret-change-me" });
    setEnv(COMPLETE);
    expect(posterApplication()).toEqual({ id: "1234", secret: "0123456789abcdef0123456789abcdef" });
  });

  it("development and tests need nothing", () => {
    setEnv({ NODE_ENV: "development" });
    expect(productionConfigProblems(env())).toEqual([]);
  });
});

describe("the embedded Poster simulator", () => {
  const route = () => import("@/app/api/poster-sim/[...path]/route");
  const get = async (path: string, headers: Record<string, string> = {}) => (await route()).GET(new Request(`http://localhost:3000/api/poster-sim${path}`, { headers }));

  it("is enabled in development, off with a real Poster, and in production only with the demo switch", () => {
    setEnv({ NODE_ENV: "development" });
    expect(simulatorEnabled()).toBe(true);
    setEnv({ NODE_ENV: "development", POSTER_API_URL: "http://127.0.0.1:4010" });
    expect(simulatorEnabled()).toBe(false);
    setEnv({ NODE_ENV: "production", ...SECRETS });
    expect(simulatorEnabled()).toBe(false);
    expect(() => posterTarget("demo-cafe")).toThrow(/simulator is off/);
    setEnv({ NODE_ENV: "production", ...SECRETS, POSTER_SIMULATOR: "embedded" });
    expect(simulatorEnabled()).toBe(true);
  });

  it("answers 404 on every path in production without the demo switch", async () => {
    setEnv({ NODE_ENV: "production", ...SECRETS, APP_URL: "http://localhost:3000" });
    for (const path of ["/sim", "/sim/accounts", "/api/auth?application_id=sim-app&redirect_uri=http://x/&response_type=code", "/api/storage.getStorages"]) {
      expect((await get(path)).status).toBe(404);
    }
    viewer.current = { isPlatformAdmin: true };
    expect((await get("/sim")).status).toBe(404);
  });

  it("keeps its control API behind a secret or a platform admin, and never answers a token", async () => {
    const secret = "control-secret-for-the-test";
    setEnv({ NODE_ENV: "production", ...SECRETS, APP_URL: "http://localhost:3000", POSTER_SIMULATOR: "embedded", POSTER_APPLICATION_ID: "demo", POSTER_APPLICATION_SECRET: "demo-secret", POSTER_SIM_CONTROL_SECRET: secret });
    expect((await get("/sim")).status).toBe(401);
    expect((await get("/sim/accounts", { authorization: "Bearer wrong-secret-of-same-len" })).status).toBe(401);
    const withSecret = await get("/sim/accounts", { authorization: `Bearer ${secret}` });
    expect(withSecret.status).toBe(200);
    viewer.current = { isPlatformAdmin: false };
    expect((await get("/sim/accounts/demo-cafe")).status).toBe(401);
    viewer.current = { isPlatformAdmin: true };
    const asAdmin = await get("/sim/accounts/demo-cafe");
    expect(asAdmin.status).toBe(200);

    const answers = [await withSecret.text(), await asAdmin.text(), await (await get("/sim", { authorization: `Bearer ${secret}` })).text()];
    const { POST } = await route();
    const rotated = await POST(new Request("http://localhost:3000/api/poster-sim/sim/accounts/demo-cafe/token", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: JSON.stringify({ action: "rotate" }) }));
    expect(rotated.status).toBe(200);
    answers.push(await rotated.text());
    for (const text of answers) expect(text).not.toMatch(/\d+:[0-9a-f]{32}/);
  });

  it("points its webhooks only at this app's own URL (no request forgery to other hosts)", async () => {
    setEnv({ NODE_ENV: "development", APP_URL: "http://localhost:3000", POSTER_SIM_CONTROL_SECRET: "control-secret-for-the-test" });
    const { POST } = await route();
    const setUrl = (url: string | null) =>
      POST(new Request("http://localhost:3000/api/poster-sim/sim/webhooks", { method: "POST", headers: { authorization: "Bearer control-secret-for-the-test" }, body: JSON.stringify({ url }) }));
    for (const url of ["http://169.254.169.254/latest/meta-data", "http://localhost:6379/", "https://attacker.example/hook", "http://localhost:3000.attacker.example/"]) {
      expect((await setUrl(url)).status).toBe(400);
    }
    expect((await setUrl("http://localhost:3000/api/webhooks/poster")).status).toBe(200);
    expect((await setUrl(null)).status).toBe(200);
  });
});

describe("APP_URL in development", () => {
  it("follows the port the server listens on when unset (PORT=3377 npm run dev, or next dev -p 3377)", () => {
    setEnv({ NODE_ENV: "development", PORT: "3377" });
    expect(env().APP_URL).toBe("http://localhost:3377");
    expect(productionConfigProblems(env())).toEqual([]);
  });
  it("is localhost:3000 without a port, and an explicit APP_URL wins over the port", () => {
    setEnv({ NODE_ENV: "development" });
    delete process.env.PORT;
    resetEnvForTests();
    expect(env().APP_URL).toBe("http://localhost:3000");
    setEnv({ NODE_ENV: "development", PORT: "3377", APP_URL: "http://checklist.test:8080" });
    expect(env().APP_URL).toBe("http://checklist.test:8080");
  });
});
