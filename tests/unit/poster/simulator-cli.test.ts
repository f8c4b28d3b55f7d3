import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/server/env";
import { simulatorWebhookUrl } from "@/simulator/config";
import { createPosterSimulator } from "@/simulator";

const CONTROL_SECRET = "cli-test-control-secret-0123";
const control = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...init.headers, authorization: `Bearer ${CONTROL_SECRET}`, "content-type": "application/json" } });

/** `npm run poster:sim` as a person starts it: its own process, a real port, the environment it is given. */
function startCli(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/poster-sim.ts"], {
    env: { ...process.env, POSTER_SIM_PORT: "0", POSTER_SIM_CONTROL_SECRET: CONTROL_SECRET, LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function listening(cli: ReturnType<typeof startCli>): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const m = /listening on (http:\/\/\S+)/.exec(cli.output());
    if (m?.[1]) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the simulator did not start: ${cli.output()}`);
}

let running: ChildProcess | undefined;
afterEach(() => {
  running?.kill("SIGTERM");
  running = undefined;
  delete process.env.POSTER_SIM_WEBHOOK_URL;
  resetEnvForTests();
});

describe("POSTER_SIM_WEBHOOK_URL=off", () => {
  it("turns the standalone simulator's webhooks off instead of posting to a URL called \"off\"", { timeout: 60_000 }, async () => {
    const cli = startCli({ POSTER_SIM_WEBHOOK_URL: "off" });
    running = cli.child;
    const url = await listening(cli);
    expect(cli.output()).toMatch(/Webhooks:\s+off/);
    const state = (await (await fetch(`${url}/sim`, control())).json()) as { webhookUrl: unknown };
    expect(state.webhookUrl).toBeNull();
    // A change that would send hooks: none is queued, so none is retried for hours.
    const edit = await fetch(`${url}/sim/accounts/demo-cafe/edit`, control({ method: "POST", body: JSON.stringify({ op: "renameIngredient", ingredientId: 1, name: "x" }) }));
    expect(edit.status).toBe(200);
    const hooks = (await (await fetch(`${url}/sim/webhooks`, control())).json()) as { deliveries: unknown[] };
    expect(hooks.deliveries).toEqual([]);
  });

  it("refuses to start with a webhook target that is neither off nor an http(s) URL, and says which variable", { timeout: 60_000 }, async () => {
    const cli = startCli({ POSTER_SIM_WEBHOOK_URL: "of" });
    running = cli.child;
    expect(await cli.exited).not.toBe(0);
    expect(cli.output()).toContain("POSTER_SIM_WEBHOOK_URL");
  });

  it("reads off in any case, unset as the default, and a URL as itself; the dispatcher refuses anything else", () => {
    for (const [value, expected] of [["off", null], ["OFF", null], [" Off ", null], ["http://127.0.0.1:4301/hook", "http://127.0.0.1:4301/hook"]] as const) {
      process.env.POSTER_SIM_WEBHOOK_URL = value;
      resetEnvForTests();
      expect(simulatorWebhookUrl("http://default/hook")).toBe(expected);
    }
    delete process.env.POSTER_SIM_WEBHOOK_URL;
    resetEnvForTests();
    expect(simulatorWebhookUrl("http://default/hook")).toBe("http://default/hook");
    expect(simulatorWebhookUrl(null)).toBeNull();
    expect(() => createPosterSimulator({ webhooks: { url: "off" } })).toThrow(/http\(s\) URL/);
    expect(() => createPosterSimulator({ webhooks: { url: null } }).webhooks.setUrl("ftp://x")).toThrow(/http\(s\) URL/);
  });
});
