import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    setupFiles: ["./tests/support/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        // One shared database per run: files run one after another, tests inside a file may be concurrent.
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], fileParallelism: false },
      },
      {
        extends: true,
        // The isolation suite (and backups, which take another path there) again on the embedded PGlite, when the
        // main target is Postgres.
        test: {
          name: "integration-pglite",
          include: ["tests/integration/tenant-isolation.test.ts", "tests/integration/rls-coverage.test.ts", "tests/integration/backup.test.ts"],
          fileParallelism: false,
          env: { TEST_DATABASE_URL: "" },
        },
      },
      {
        extends: true,
        // npm run test:scale (scripts/test-scale.ts): real Postgres and Redis, one scenario file at a time.
        test: { name: "scale", include: ["tests/scale/**/*.test.ts"], fileParallelism: false, testTimeout: 600_000, hookTimeout: 600_000 },
      },
    ],
  },
});
