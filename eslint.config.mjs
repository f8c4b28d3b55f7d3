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

/*
 * The floors, lowest first; each imports only from the floors below it (README, "Architecture"):
 *   vocabulary/, i18n/   shared words (statuses, roles, locales, quantities) and texts: import nothing of ours
 *   db/                  open, migrate, scope (reads server/env, logs through server/observability)
 *   server/<domain>      plain functions (tx, scope, input) → result; throw domain errors (server/errors.ts)
 *   server/trpc, server/http, app/api   the HTTP floor: procedures, route-handler bodies, server actions
 *   ui/                  screens and the kit
 *   app/                 Next.js routes, thin
 */
const uiAndApp = { group: ["@/ui/*", "@/app/*"], message: "A lower floor never imports ui/ or app/: texts and locales come from @/i18n/*, shared words from @/vocabulary/* (or move the code down)." };
const httpFloor = {
  group: ["@/server/trpc", "@/server/trpc/*", "@/server/http/*", "@/app/api/*"],
  message: "Domain code sits below the HTTP floor: it takes (tx, scope, input) and throws domain errors; it never calls a procedure (createCaller) or a route. Move the caller up to server/http.",
};
const appFloor = { group: ["@/app/*"], message: "ui/ sits below app/: server actions live in server/http/actions, shared code in ui/ or lower." };
const aboveVocabulary = {
  group: ["@/*", "!@/vocabulary", "!@/vocabulary/*", "!@/i18n", "!@/i18n/*"],
  message: "vocabulary/ and i18n/ are the lowest floor: they import nothing of ours but each other.",
};

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
    files: ["vocabulary/**", "i18n/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [aboveVocabulary] }] },
  },
  {
    // Domain code: below the HTTP floor, the UI and the routes.
    files: ["server/**"],
    // server/demo is the demo itself (its restaurants are the simulator's demo accounts); startup wires it in.
    ignores: ["server/demo/**", "server/startup.ts", "server/trpc/**", "server/http/**"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, noSimulator, uiAndApp, httpFloor] }] },
  },
  {
    files: ["server/demo/**", "server/startup.ts"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, uiAndApp, httpFloor] }] },
  },
  {
    // The HTTP floor: procedures, route-handler bodies and server actions; below the UI and the pages.
    files: ["server/trpc/**", "server/http/**", "app/api/**"],
    // The simulator's own HTTP face, mounted only when someone switched it on (server/poster/transport.ts).
    ignores: ["app/api/poster-sim/**"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, noSimulator, uiAndApp] }] },
  },
  {
    // Development tooling beside the product: it may use the Poster client's types, never the layers above.
    files: ["simulator/**"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, uiAndApp, httpFloor] }] },
  },
  {
    files: ["ui/**"],
    rules: { "no-restricted-imports": ["error", { paths: rawDbClient.paths, patterns: [...rawDbClient.patterns, appFloor] }] },
  },
);
