import { defineConfig, devices } from "@playwright/test";
import { E2E_BACKUP_ENCRYPTION_KEYS, E2E_DEMO_ENV, E2E_TOKEN_ENCRYPTION_KEYS } from "./tests/support/e2e-env";

const port = Number(process.env.E2E_PORT ?? 3210);
// localhost, not 127.0.0.1: Next rewrites 127.0.0.1 to localhost and the auth cookies would not match.
const baseURL = `http://localhost:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// A fresh database every run: E2E_DATABASE_URL is migrated and seeded by scripts/test.ts; the PGlite folder is
// removed here so the server migrates and seeds it on start.
const pgliteDir = process.env.E2E_PGLITE_DIR ?? ".data/e2e-pglite";
const database: Record<string, string> = process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : { PGLITE_DIR: pgliteDir };
// The server's output is also captured (tee) for the secret scan that scripts/test.ts runs after the e2e tests;
// pipefail keeps the server's exit code.
const serverLog = process.env.E2E_SERVER_LOG ?? ".data/test-results/e2e-server.log";
const start = `npx next start -p ${port}`;
const prepare = process.env.E2E_DATABASE_URL ? "" : `rm -rf ${pgliteDir} && `;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "phone", use: { ...devices["Pixel 7"], browserName: "chromium" } },
  ],
  webServer: {
    command: `bash -c 'set -o pipefail; mkdir -p "$(dirname ${serverLog})" && ${prepare}${start} 2>&1 | tee ${serverLog}'`,
    url: `${baseURL}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      APP_URL: baseURL,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
      TOKEN_ENCRYPTION_KEYS: E2E_TOKEN_ENCRYPTION_KEYS,
      // The server's daily backup (and owner exports) go to a folder of the test run, sealed with a test key.
      BACKUP_ENCRYPTION_KEYS: E2E_BACKUP_ENCRYPTION_KEYS,
      BACKUP_DIR: ".data/e2e-backups",
      ...database,
      // info: the secret scan reads what a production server would log.
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      // No SMTP in e2e: mail lands in the outbox, which the password-reset spec reads at /outbox.
      MAIL_OUTBOX_PUBLIC: "true",
      // The demo switch (the embedded Poster simulator), its application and its control API secret.
      ...E2E_DEMO_ENV,
    },
  },
});
