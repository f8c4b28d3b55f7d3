import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E_BACKUP_ENCRYPTION_KEYS, E2E_TOKEN_ENCRYPTION_KEYS } from "../support/e2e-env";

/**
 * The production build started as an operator would, with `next start` and only the variables each case names
 * (not the e2e server's demo settings): without POSTER_API_URL and without the demo switch it must refuse to
 * start and say why; configured for a real Poster it must not serve the simulator at all.
 */

const SECRETS = { AUTH_SECRET: "a-production-secret-0123456789abcdef", TOKEN_ENCRYPTION_KEYS: E2E_TOKEN_ENCRYPTION_KEYS };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(port: number, vars: Record<string, string>): Started {
  // Nothing inherited that configures the app: only PATH and HOME, so the case is exactly what it names.
  const child = spawn("npx", ["next", "start", "-p", String(port)], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...vars },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function stop(started: Started): void {
  if (started.child.exitCode === null && started.child.pid) {
    try {
      process.kill(-started.child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

test("a production start with neither POSTER_API_URL nor the demo switch exits and says what is missing", async () => {
  test.setTimeout(90_000);
  const server = start(await freePort(), { ...SECRETS, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
  try {
    const code = await Promise.race([server.exited, new Promise<"running">((r) => setTimeout(() => r("running"), 60_000))]);
    expect(code, server.output()).not.toBe("running");
    expect(code).not.toBe(0);
    const output = server.output();
    expect(output).toContain("cannot start in production");
    expect(output).toContain("POSTER_API_URL is not set");
    expect(output).toContain("POSTER_SIMULATOR=embedded");
    expect(output).toContain("POSTER_APPLICATION_SECRET is not set");
    expect(output).toContain("APP_URL is not set");
    expect(output).toContain("BACKUP_ENCRYPTION_KEYS is not set");
    expect(output).toContain("Backup storage is not set");
  } finally {
    stop(server);
  }
});

test("configured for a real Poster, production serves no simulator: /api/poster-sim/* answers 404", async ({ request }) => {
  test.setTimeout(90_000);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = start(port, {
    ...SECRETS,
    APP_URL: base,
    // Nothing listens there: no request of this test reaches a Poster.
    POSTER_API_URL: "http://127.0.0.1:9",
    POSTER_APPLICATION_ID: "1234",
    POSTER_APPLICATION_SECRET: "a-real-application-secret",
    DATABASE_URL: process.env.E2E_DATABASE_URL ?? "postgres://nobody@127.0.0.1:1/none",
    BACKUP_ENCRYPTION_KEYS: E2E_BACKUP_ENCRYPTION_KEYS,
    BACKUP_DIR: ".data/e2e-backups",
    LOG_LEVEL: "error",
  });
  try {
    await expect
      .poll(async () => (await request.get(`${base}/sign-in`).catch(() => null))?.status() ?? 0, { timeout: 60_000, message: server.output() })
      .toBeGreaterThan(0);
    for (const path of ["/api/poster-sim/sim", "/api/poster-sim/sim/accounts", "/api/poster-sim/api/auth?application_id=sim-app&response_type=code&redirect_uri=http://x/", "/api/poster-sim/api/storage.getStorages?token=100001:5f0c7e4a9b2d4e6f8a1c3b5d7e9f0a2b"]) {
      expect((await request.get(`${base}${path}`)).status(), path).toBe(404);
    }
    expect((await request.post(`${base}/api/poster-sim/sim/webhooks`, { data: { url: "http://169.254.169.254/" } })).status()).toBe(404);
  } finally {
    stop(server);
  }
});
