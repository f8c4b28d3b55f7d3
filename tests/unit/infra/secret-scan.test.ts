import { describe, expect, it } from "vitest";
import { createLogger } from "@/server/observability/log";
import { failedQueryEmailLines, PASSWORD_HASH, QUERY_PARAMS } from "../../support/secret-scan";

const ARGON = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";

describe("the e2e secret scan", () => {
  const leaked = `{"level":"error","msg":"trpc procedure failed","error":{"message":"Failed query: insert into \\"users\\" values ($1, $2, $3)\\nparams: owner@demo.test,Owner,${ARGON}"}}`;

  it("finds password hashes, query parameters and e-mails of a failed query in a server log", () => {
    expect(PASSWORD_HASH.test(leaked)).toBe(true);
    expect(PASSWORD_HASH.test("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")).toBe(true);
    expect(QUERY_PARAMS.test(leaked)).toBe(true);
    expect(failedQueryEmailLines(leaked)).toBe(1);
  });

  it("passes the same failure as our logger writes it", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "error", sink: (line) => lines.push(line) });
    const error = Object.assign(new Error(`Failed query: insert into "users" values ($1, $2, $3)\nparams: owner@demo.test,Owner,${ARGON}`), {
      query: `insert into "users" values ($1, $2, $3)`,
      params: ["owner@demo.test", "Owner", ARGON],
    });
    logger.error("trpc procedure failed", { error: new Error(error.message, { cause: error }) });
    const text = lines.join("\n");
    expect(PASSWORD_HASH.test(text)).toBe(false);
    expect(QUERY_PARAMS.test(text)).toBe(false);
    expect(failedQueryEmailLines(text)).toBe(0);
  });
});
