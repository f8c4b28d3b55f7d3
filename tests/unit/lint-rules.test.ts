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
