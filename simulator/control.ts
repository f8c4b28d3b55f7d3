import { z } from "zod";
import { SimError, type SimAccount, type SimEdit } from "./account";
import { json } from "./http";
import type { PosterSimulator } from "./contract";
import { POSTER_UNITS } from "@/vocabulary/constants";

/**
 * JSON control surface under `<basePath>/sim/...` for dev tools and browser e2e tests. It can rewrite data and
 * tokens, so the simulator only lets an authorised caller in (see PosterSimulatorOptions.control), it never
 * answers a token, and webhooks can only be pointed where the policy allows (never an arbitrary host: SSRF).
 */
const id = z.coerce.number().int().positive();
const faultsSchema = z.object({
  latencyMs: z.number().min(0).max(120_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  rateLimit: z.object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }).nullable().optional(),
  queue: z.array(z.enum(["5xx", "drop", "429"])).optional(),
  deniedMethods: z.array(z.string()).optional(),
  oddValues: z.boolean().optional(),
  oauthDropsState: z.boolean().optional(),
}).strict();

const sizeSchema = z.object({
  storages: z.number().int().min(1).max(6).optional(),
  ingredients: z.number().int().min(1).max(5000).optional(),
  suppliers: z.number().int().min(0).max(500).optional(),
}).strict();

const createAccountSchema = z.object({
  login: z.string().regex(/^[a-z0-9-]{2,40}$/).optional(),
  accountNumber: z.string().regex(/^\d{3,10}$/).optional(),
  seed: z.string().optional(),
  companyName: z.string().optional(),
  currency: z.enum(["RUB", "KZT", "USD"]).optional(),
  timezone: z.string().optional(),
  lang: z.string().optional(),
  size: sizeSchema.optional(),
  faults: faultsSchema.optional(),
}).strict();

const editSchema: z.ZodType<SimEdit> = z.discriminatedUnion("op", [
  z.object({ op: z.literal("renameIngredient"), ingredientId: id, name: z.string().min(1) }),
  z.object({ op: z.literal("hideIngredient"), ingredientId: id }),
  z.object({ op: z.literal("unhideIngredient"), ingredientId: id }),
  z.object({ op: z.literal("deleteIngredient"), ingredientId: id }),
  z.object({ op: z.literal("restoreIngredient"), ingredientId: id }),
  z.object({ op: z.literal("addIngredient"), name: z.string().min(1), unit: z.enum(POSTER_UNITS), categoryId: id.optional(), primeCostMinor: z.number().int().min(0).optional() }),
  z.object({ op: z.literal("setStock"), storageId: id, ingredientId: id, quantity: z.union([z.number(), z.string(), z.null()]) }),
  z.object({ op: z.literal("deleteStorage"), storageId: id }),
  z.object({ op: z.literal("addSupplier"), name: z.string().min(1), phone: z.string().optional(), address: z.string().optional(), comment: z.string().optional() }),
  z.object({ op: z.literal("deleteSupplier"), supplierId: id }),
]);

const tokenSchema = z.object({
  action: z.enum(["expire", "revoke", "activate", "rotate"]),
  /** With "expire": expire later instead of now. */
  inMs: z.number().int().min(0).optional(),
}).strict();

const appSchema = z.object({ action: z.enum(["install", "uninstall"]) }).strict();
const webhookSchema = z.object({ url: z.string().url().nullable() }).strict();
const webhookTestSchema = z.object({ account: z.string() }).strict();
const oauthUserSchema = z
  .object({ roleId: z.number().int().min(1).max(100), email: z.string().max(320).optional(), name: z.string().max(200).optional() })
  .strict()
  .nullable();

export interface ControlPolicy {
  /** Where the control API may point the simulator's webhooks. */
  webhookUrlAllowed(url: URL): boolean;
}

/** An account's summary without its token: the control API is not a way to read live tokens. */
function publicInfo(account: SimAccount) {
  const { token: _token, ...info } = account.info();
  return info;
}

async function body<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  let raw: unknown = {};
  const text = await request.text();
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: json({ error: "invalid JSON" }, 400) };
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, response: json({ error: "invalid input", issues: parsed.error.issues }, 400) };
  return { ok: true, value: parsed.data };
}

export async function handleControl(sim: PosterSimulator, request: Request, path: string, policy: ControlPolicy): Promise<Response> {
  const segments = path.split("/").filter(Boolean).slice(1); // drop "sim"
  const method = request.method;
  const accounts = () => sim.accounts().map((a) => publicInfo(sim.account(a.login)));
  try {
    if (segments.length === 0) return json({ accounts: accounts(), webhookUrl: sim.webhooks.getUrl(), basePath: sim.basePath });
    if (segments[0] === "reset" && method === "POST") {
      sim.reset();
      return json({ ok: true });
    }
    if (segments[0] === "webhooks") {
      if (segments[1] === "test" && method === "POST") {
        const b = await body(request, webhookTestSchema);
        if (!b.ok) return b.response;
        return json({ delivery: sim.webhooks.sendTest(b.value.account) });
      }
      if (method === "POST") {
        const b = await body(request, webhookSchema);
        if (!b.ok) return b.response;
        if (b.value.url !== null && !policy.webhookUrlAllowed(new URL(b.value.url))) {
          return json({ error: "webhooks may only be sent to this app's own URL" }, 400);
        }
        sim.webhooks.setUrl(b.value.url);
        return json({ url: sim.webhooks.getUrl() });
      }
      return json({ url: sim.webhooks.getUrl(), deliveries: sim.webhooks.deliveries() });
    }
    if (segments[0] !== "accounts") return json({ error: "not found" }, 404);
    if (segments.length === 1) {
      if (method === "GET") return json({ accounts: accounts() });
      if (method === "POST") {
        const b = await body(request, createAccountSchema);
        if (!b.ok) return b.response;
        return json({ account: publicInfo(sim.createAccount(b.value)) }, 201);
      }
      return json({ error: "method not allowed" }, 405);
    }
    const key = decodeURIComponent(segments[1] ?? "");
    const account = sim.findAccount(key);
    if (!account) return json({ error: `unknown account ${key}` }, 404);
    const login = account.profile.login;
    const action = segments[2];
    if (action === undefined) {
      return json({
        account: publicInfo(account),
        storages: account.data.storages,
        categories: account.data.categories,
        spots: account.data.spots,
      });
    }
    if (action === "faults" && method === "POST") {
      const b = await body(request, faultsSchema);
      if (!b.ok) return b.response;
      return json({ faults: sim.setFaults(login, b.value) });
    }
    if (action === "token" && method === "POST") {
      const b = await body(request, tokenSchema);
      if (!b.ok) return b.response;
      if (b.value.action === "expire") sim.expireToken(login, b.value.inMs);
      else if (b.value.action === "revoke") sim.setTokenState(login, "revoked");
      else if (b.value.action === "activate") sim.setTokenState(login, "active");
      else sim.rotateToken(login);
      return json({ tokenState: account.tokenStatus(Date.now()) });
    }
    if (action === "oauth-user" && method === "POST") {
      const b = await body(request, oauthUserSchema);
      if (!b.ok) return b.response;
      const o = account.profile.owner;
      account.oauthUser = b.value ? { id: o.userId + b.value.roleId * 1000, name: b.value.name ?? "Employee", email: b.value.email ?? `staff@${login}.example`, roleId: b.value.roleId } : null;
      return json({ oauthUser: account.oauthUser });
    }
    if (action === "edit" && method === "POST") {
      const b = await body(request, editSchema);
      if (!b.ok) return b.response;
      return json({ ok: true, ...sim.edit(login, b.value) });
    }
    if (action === "app" && method === "POST") {
      const b = await body(request, appSchema);
      if (!b.ok) return b.response;
      if (b.value.action === "install") sim.installApp(login);
      else sim.uninstallApp(login);
      return json({ ok: true, appInstalled: account.appInstalled });
    }
    if (action === "requests") {
      if (method === "DELETE") {
        sim.clearRequestLog(login);
        return json({ ok: true });
      }
      return json({ requests: sim.requestLog(login), maxInFlight: account.maxInFlight });
    }
    if (action === "ingredients" && method === "GET") return json({ ingredients: account.data.ingredients });
    if (action === "suppliers" && method === "GET") return json({ suppliers: account.data.suppliers });
    if (action === "reset" && method === "POST") {
      account.reset();
      return json({ ok: true });
    }
    return json({ error: "not found" }, 404);
  } catch (err) {
    if (err instanceof SimError) return json({ error: err.message, code: err.code }, 400);
    throw err;
  }
}
