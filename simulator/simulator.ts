import { randomBytes, timingSafeEqual } from "node:crypto";
import { SimAccount, SimError, type SimAccountOptions } from "./account";
import { METHODS } from "./api";
import { queryParams, readBodyParams } from "./body";
import { handleControl } from "./control";
import { DEFAULT_SIM_APPLICATION, DEMO_ACCOUNTS } from "./demo";
import { errorCodeOf, json, posterError, SimulatedDropError, sleep } from "./http";
import { SimOAuth } from "./oauth";
import type { SimRequestLogEntry } from "./types";
import { WebhookDispatcher, type WebhookRetryOptions } from "./webhooks";
import type { HandleContext, PosterSimulator, PosterSimulatorOptions } from "./contract";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** First path segments that are the simulator's own, so no account may be called so. */
const RESERVED_SEGMENTS = new Set(["api", "sim"]);

function bearerMatches(request: Request, secret: string | null | undefined): boolean {
  if (!secret) return false;
  const header = request.headers.get("authorization") ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = { retries: 15, minDelayMs: 5_000, maxDelayMs: 3 * 3_600_000, factor: 2 };

function normalizeBasePath(p: string | undefined): string {
  if (!p || p === "/") return "";
  return `/${p.replace(/^\/+|\/+$/g, "")}`;
}

export function createPosterSimulator(options: PosterSimulatorOptions = {}): PosterSimulator {
  const basePath = normalizeBasePath(options.basePath);
  const application = options.application ?? { ...DEFAULT_SIM_APPLICATION };
  const now = options.now ?? Date.now;
  const accounts = new Map<string, SimAccount>(); // by login
  const dispatcher = new WebhookDispatcher(
    options.webhooks?.url ?? null,
    () => application.secret,
    { ...DEFAULT_WEBHOOK_RETRY, ...options.webhooks?.retry },
    options.webhooks?.fetch,
    now,
    options.webhooks?.emptyData,
  );

  const findAccount = (key: string): SimAccount | undefined =>
    accounts.get(key) ?? [...accounts.values()].find((a) => a.profile.accountNumber === key);
  const account = (key: string): SimAccount => {
    const a = findAccount(key);
    if (!a) throw new Error(`Unknown simulator account: ${key}`);
    return a;
  };

  const addAccount = (opts: SimAccountOptions): SimAccount => {
    if (RESERVED_SEGMENTS.has(opts.login)) throw new Error(`"${opts.login}" cannot be an account login: the simulator's paths use it`);
    if (findAccount(opts.login) || findAccount(opts.accountNumber)) throw new Error(`Account ${opts.login}/${opts.accountNumber} already exists`);
    const a = new SimAccount(opts, (e) => dispatcher.emit(e));
    accounts.set(opts.login, a);
    return a;
  };
  for (const opts of options.accounts ?? DEMO_ACCOUNTS.map((d) => ({ ...d, size: { ...d.size } }))) addAccount(opts);

  const oauth = new SimOAuth({
    application,
    allowedRedirectUris: options.allowedRedirectUris ?? null,
    defaultAccount: options.defaultAccount ?? [...accounts.keys()][0] ?? "",
    findAccount,
    now,
  });

  /** Faults are applied before the method runs, in the order a real network would hit them. */
  async function applyFaults(a: SimAccount, at: number, signal: AbortSignal): Promise<Response | null> {
    const f = a.faults;
    if (f.rateLimit) {
      const { limit, windowMs } = f.rateLimit;
      while (a.rateWindow.length > 0 && (a.rateWindow[0] as number) <= at - windowMs) a.rateWindow.shift();
      if (a.rateWindow.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil(((a.rateWindow[0] as number) + windowMs - at) / 1000));
        return posterError(429, "Too Many Requests", 429, { "retry-after": String(retryAfter) });
      }
      a.rateWindow.push(at);
    }
    await sleep(f.latencyMs, signal);
    const queued = f.queue.shift();
    if (queued === "drop") throw new SimulatedDropError();
    if (queued === "429") return posterError(429, "Too Many Requests", 429, { "retry-after": "1" });
    // Poster's front proxy answers 5xx with an HTML page, not the JSON envelope.
    const bad = () => new Response("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", { status: 503, headers: { "content-type": "text/html" } });
    if (queued === "5xx") return bad();
    if (f.dropRate > 0 && a.faultRng.chance(f.dropRate)) throw new SimulatedDropError();
    if (f.errorRate > 0 && a.faultRng.chance(f.errorRate)) return bad();
    return null;
  }

  async function callMethod(a: SimAccount, method: string, token: string, request: Request, url: URL): Promise<Response> {
    const spec = METHODS[method];
    if (!spec) return posterError(30, "Method Not Allowed", 405);
    if (token !== a.token) return posterError(11, "Bad access token");
    const state = a.tokenStatus(now());
    if (state === "revoked") return posterError(11, "Bad access token");
    if (state === "expired") return posterError(12, "Access token expired");
    if (a.faults.deniedMethods.includes(method)) return posterError(20, "Application has no permission for this method");
    const body = await readBodyParams(request);
    if (!body.ok) return posterError(400, body.message);
    try {
      const result = spec.handler(a, { ...queryParams(url), ...body.params }, { now: now() });
      return json(result);
    } catch (err) {
      if (err instanceof SimError) return posterError(err.code, err.message);
      throw err;
    }
  }

  async function handleApi(request: Request, url: URL, method: string, host: SimAccount | null): Promise<Response> {
    const token = url.searchParams.get("token");
    const a = token ? findAccount(token.split(":")[0] ?? "") : undefined;
    if (!a) {
      if (!METHODS[method]) return posterError(30, "Method Not Allowed", 405);
      return token ? posterError(11, "Bad access token") : posterError(10, "Access token is not specified");
    }
    // On an account's own host, another account's token is not a token of this account.
    if (host && host !== a) return METHODS[method] ? posterError(11, "Bad access token") : posterError(30, "Method Not Allowed", 405);
    const entry: SimRequestLogEntry = { method, at: now(), httpStatus: 0, errorCode: null, host: host?.profile.login ?? null };
    a.requestLog.push(entry);
    a.inFlight++;
    a.maxInFlight = Math.max(a.maxInFlight, a.inFlight);
    try {
      const response = (await applyFaults(a, entry.at, request.signal)) ?? (await callMethod(a, method, token as string, request, url));
      entry.httpStatus = response.status;
      entry.errorCode = errorCodeOf(response);
      return response;
    } finally {
      a.inFlight--;
    }
  }

  const controlPolicy = { webhookUrlAllowed: options.control?.webhookUrlAllowed ?? ((url: URL) => LOOPBACK_HOSTS.has(url.hostname)) };

  /**
   * The account whose host a request came to, as Poster's `{account}.joinposter.com`: a `{login}.joinposter.com` or
   * `{login}.localhost` host name, or a first path segment `/{login}/api/...` (what our client uses in development,
   * server/poster/hosts.ts). null: the generic host, where the token alone names the account.
   */
  function hostAccount(url: URL, path: string): { login: string; path: string } | null {
    const sub = /^([a-z0-9][a-z0-9_-]*)\.(?:joinposter\.com|localhost)$/i.exec(url.hostname);
    if (sub?.[1]) return { login: sub[1], path };
    const prefixed = /^\/([^/]+)(\/api\/.+)$/.exec(path);
    if (prefixed?.[1] && !RESERVED_SEGMENTS.has(prefixed[1])) return { login: decodeURIComponent(prefixed[1]), path: prefixed[2] as string };
    return null;
  }

  async function handle(request: Request, context: HandleContext = {}): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return json({ error: { code: 404, message: "Not found" } }, 404);
      path = path.slice(basePath.length) || "/";
    }
    const onHost = hostAccount(url, path);
    let host: SimAccount | null = null;
    if (onHost) {
      const found = findAccount(onHost.login);
      // Only logins name hosts (an account number is not a subdomain).
      if (!found || found.profile.login !== onHost.login) return json({ error: { code: 404, message: "Account not found" } }, 404);
      host = found;
      path = onHost.path;
    }
    if (path === "/api/auth") return request.method === "GET" ? oauth.authorize(url, host) : json({ error: { code: 405, message: "Method Not Allowed" } }, 405);
    if (path === "/api/v2/auth/access_token") return oauth.exchange(request, false, host);
    if (path === "/api/auth/access_token") return oauth.exchange(request, true, host);
    if (!host && (path === "/sim" || path.startsWith("/sim/"))) {
      if (!context.controlAuthorized && !bearerMatches(request, options.control?.secret)) {
        return json({ error: "the simulator's control API needs its secret (Authorization: Bearer …) or a platform admin" }, 401);
      }
      return handleControl(sim, request, path, controlPolicy);
    }
    const m = /^\/api\/([^/]+)$/.exec(path);
    if (m?.[1]) return handleApi(request, url, decodeURIComponent(m[1]), host);
    return json({ error: { code: 404, message: "Not found" } }, 404);
  }

  const inProcessFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([handle(request), aborted]);
    } catch (err) {
      if (err instanceof SimulatedDropError) throw new TypeError("fetch failed", { cause: err });
      throw err;
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  };

  let autoNumber = 200_000;
  const sim: PosterSimulator = {
    basePath,
    application,
    handle,
    fetch: inProcessFetch,
    accounts: () => [...accounts.values()].map((a) => a.info()),
    findAccount,
    account,
    createAccount(input = {}) {
      let n = ++autoNumber;
      while (findAccount(String(n))) n = ++autoNumber;
      const login = input.login ?? `sim-${n}`;
      return addAccount({ ...input, login, accountNumber: input.accountNumber ?? String(n) });
    },
    setFaults: (login, patch) => account(login).setFaults(patch),
    edit: (login, e) => account(login).apply(e),
    setTokenState: (login, state) => account(login).setTokenState(state),
    expireToken(login, inMs) {
      const a = account(login);
      if (inMs === undefined || inMs <= 0) a.setTokenState("expired");
      else {
        a.setTokenState("active");
        a.tokenExpiresAt = now() + inMs;
      }
    },
    rotateToken: (login) => account(login).rotateToken(randomBytes(16).toString("hex")),
    installApp: (login) => account(login).installApp(),
    uninstallApp: (login) => account(login).uninstallApp(),
    requestLog: (login) => account(login).requestLog,
    clearRequestLog: (login) => account(login).clearLog(),
    webhooks: {
      setUrl: (url) => dispatcher.setUrl(url),
      getUrl: () => dispatcher.getUrl(),
      deliveries: () => dispatcher.deliveries(),
      idle: () => dispatcher.idle(),
      sendTest(login) {
        const a = account(login);
        return dispatcher.emit({ account: a.profile.login, accountNumber: a.profile.accountNumber, object: "application", objectId: 1, action: "test" });
      },
    },
    reset() {
      for (const a of accounts.values()) a.reset();
      dispatcher.clearLog();
    },
    close: () => dispatcher.close(),
  };
  return sim;
}
