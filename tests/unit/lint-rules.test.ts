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
