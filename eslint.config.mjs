import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Only db/ (scopes, migrations), scripts and tests may reach the raw database client. */
const rawDbClient = {
  paths: [
    { name: "@/db/client", importNames: ["getDatabase"], message: "Use withTenant/withPlatform from @/db/scope (or ctx.db in a procedure): the raw client skips row-level security." },
    { name: "postgres", message: "Database access goes through @/db/scope." },
    { name: "@electric-sql/pglite", message: "Database access goes through @/db/scope." },
  ],
  patterns: [{ group: ["drizzle-orm/postgres-js", "drizzle-orm/pglite", "drizzle-orm/pglite/*", "drizzle-orm/postgres-js/*"], message: "Database access goes through @/db/scope." }],
};

/** The Poster simulator is a dev/demo tool: production server code reaches it only through what startup installs. */
const noSimulator = {
  group: ["@/simulator", "@/simulator/*"],
  message: "Production server code never imports the simulator: server/poster/transport.ts gets it from simulator/install.ts (server/startup.ts).",
};

/** server/ is below ui/ and app/: texts and locales come from the server-neutral i18n/. */
const upperFloors = { group: ["@/ui/*", "@/app/*"], message: "server/ sits below ui/ and app/: import from @/i18n/* (or move the code down)." };

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "playwright-report/**", "test-results/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": ["error", rawDbClient],
    },
  },
  {
    // Routers, domain code, routes and UI: tenant data only through the scoped transaction.
    files: ["db/**", "scripts/**", "tests/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The lowest floor: db/ opens, migrates and scopes. It reads the environment and logs, and imports nothing
    // else above it (the demo seed lives in server/demo and is called by startup).
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/server/*", "!@/server/env", "!@/server/observability", "!@/server/observability/*", "@/ui/*", "@/app/*"],
              message: "db/ is the lowest floor: it may import @/server/env and @/server/observability only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**"],
    // server/demo is the demo itself (its restaurants are the simulator's demo accounts); startup wires it in.
    ignores: ["server/demo/**", "server/startup.ts"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, noSimulator, upperFloors] }] },
  },
);
