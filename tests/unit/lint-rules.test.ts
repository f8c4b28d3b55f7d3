import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function restrictedImportErrors(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports");
}

describe("the raw database client lint rule", () => {
  const rawImport = 'import { getDatabase } from "@/db/client";\nexport const x = getDatabase;\n';

  it("fails a router or domain module that imports the raw client", async () => {
    expect(await restrictedImportErrors(rawImport, "server/trpc/routers/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(rawImport, "server/ordering/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors('import postgres from "postgres";\nexport const p = postgres;\n', "server/catalog/probe.ts")).toHaveLength(1);
  });

  it("allows the scoped transaction helpers and the db layer itself", async () => {
    expect(await restrictedImportErrors('import { withTenant } from "@/db/scope";\nexport const w = withTenant;\n', "server/ordering/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(rawImport, "db/probe.ts")).toHaveLength(0);
  });
});

describe("the db floor lint rule", () => {
  it("fails a db/ module that imports domain, API or UI code", async () => {
    expect(await restrictedImportErrors('import { runFullSync } from "@/server/sync";\nexport const s = runFullSync;\n', "db/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors('import { hashPassword } from "@/server/auth/password";\nexport const h = hashPassword;\n', "db/schema/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors('import { Sheet } from "@/ui/sheet";\nexport const u = Sheet;\n', "db/probe.ts")).toHaveLength(1);
  });

  it("lets db/ read the environment and log", async () => {
    expect(await restrictedImportErrors('import { env } from "@/server/env";\nexport const e = env;\n', "db/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors('import { log } from "@/server/observability/log";\nexport const l = log;\n', "db/probe.ts")).toHaveLength(0);
  });
});

describe("the floor lint rules: vocabulary < db < domain < HTTP (server/trpc, server/http, app/api) < ui < app", () => {
  const probe = (from: string, name = "x") => `import { ${name} } from "${from}";\nexport const y = ${name.split(" as ").pop()};\n`;

  it("fails a lower floor that imports a higher one", async () => {
    // Shared words import nothing of ours.
    expect(await restrictedImportErrors(probe("@/db/schema", "orders"), "vocabulary/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/server/errors", "DomainError"), "vocabulary/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/server/env", "env"), "i18n/probe.ts")).toHaveLength(1);
    // Domain code never calls a procedure or a route handler.
    expect(await restrictedImportErrors(probe("@/server/trpc/root", "createCaller"), "server/history/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/server/trpc/errors", "toTRPCError"), "server/catalog/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/server/http/orders-export", "exportOrders"), "server/export/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/ui/kit/button", "Button"), "server/purchasing/probe.ts")).toHaveLength(1);
    // The HTTP floor is below the UI and the pages.
    expect(await restrictedImportErrors(probe("@/ui/errors/describe", "errorInfo"), "server/trpc/routers/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/ui/kit/button", "Button"), "server/http/probe.ts")).toHaveLength(1);
    expect(await restrictedImportErrors(probe("@/app/(app)/layout", "default as L"), "app/api/probe/route.ts")).toHaveLength(1);
    // The UI is below the pages: server actions are not imported from app/.
    expect(await restrictedImportErrors(probe("@/app/(auth)/sign-in/page", "default as P"), "ui/auth/probe.tsx")).toHaveLength(1);
    // The simulator is tooling beside the product, below its HTTP floor.
    expect(await restrictedImportErrors(probe("@/server/trpc/root", "createCaller"), "simulator/probe.ts")).toHaveLength(1);
  });

  it("lets every floor import the floors below it", async () => {
    expect(await restrictedImportErrors(probe("@/vocabulary/constants", "LOCALES"), "i18n/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/vocabulary/constants", "ORDER_STATUSES"), "db/schema/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/server/errors", "NotFoundError"), "server/catalog/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/server/trpc/root", "createCaller"), "server/http/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/server/catalog/suppliers", "listSuppliers"), "server/trpc/routers/probe.ts")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/server/http/actions/sign-out", "signOutAction"), "ui/account/probe.tsx")).toHaveLength(0);
    expect(await restrictedImportErrors(probe("@/ui/kit/button", "Button"), "app/(app)/probe/page.tsx")).toHaveLength(0);
  });
});
