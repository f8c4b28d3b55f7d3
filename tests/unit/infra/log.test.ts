import { afterEach, describe, expect, it } from "vitest";
import { createLogger, rateLimitedWarn, redact, REDACTED, type LogLevel } from "@/server/observability/log";
import { sentryBeforeSend } from "@/server/observability/sentry";
import type { ErrorEvent } from "@sentry/nextjs";
import { resetEnvForTests } from "@/server/env";

const POSTER_TOKEN = "123456:0123456789abcdef0123456789abcdef";

function capture(level?: "debug" | "info" | "warn" | "error" | "silent") {
  const lines: { level: LogLevel; record: Record<string, unknown> }[] = [];
  const logger = createLogger({
    level,
    sink: (line, lvl) => lines.push({ level: lvl, record: JSON.parse(line) as Record<string, unknown> }),
  });
  return { logger, lines };
}

describe("redact", () => {
  it("masks sensitive keys at any depth", () => {
    const input = {
      user: { email: "a@b.c", password: "hunter2hunter2", passwordHash: "$argon2id$..." },
      poster: { accessToken: "x", access_token: "y", nested: [{ token: "z", resetToken: "r" }] },
      headers: { Authorization: "Bearer abc", cookie: "sid=1", "x-request-id": "req-1" },
      oauth: { code: "abcdef123456", state: "s1" },
      inviteToken: "inv",
      clientSecret: "cs",
      secret: "s",
    };
    const out = redact(input) as typeof input;
    expect(out.user).toEqual({ email: "a@b.c", password: REDACTED, passwordHash: REDACTED });
    expect(out.poster.accessToken).toBe(REDACTED);
    expect(out.poster.access_token).toBe(REDACTED);
    expect(out.poster.nested[0]).toEqual({ token: REDACTED, resetToken: REDACTED });
    expect(out.headers).toEqual({ Authorization: REDACTED, cookie: REDACTED, "x-request-id": "req-1" });
    expect(out.oauth).toEqual({ code: REDACTED, state: "s1" });
    expect(out.inviteToken).toBe(REDACTED);
    expect(out.clientSecret).toBe(REDACTED);
    expect(out.secret).toBe(REDACTED);
    // input untouched
    expect(input.user.password).toBe("hunter2hunter2");
  });

  it("keeps error-code shaped `code` values", () => {
    expect(redact({ code: "ECONNREFUSED" })).toEqual({ code: "ECONNREFUSED" });
    expect(redact({ code: "23505" })).toEqual({ code: "23505" });
    expect(redact({ code: 401 })).toEqual({ code: 401 });
    expect(redact({ code: "4/0AY0e-g7x" })).toEqual({ code: REDACTED });
  });

  it("masks token shapes inside strings and URLs", () => {
    const s = redact(`calling poster with ${POSTER_TOKEN} failed`) as string;
    expect(s).not.toContain("0123456789abcdef");
    expect(s).toContain("123456:");
    const url = redact("https://joinposter.com/api/menu.getProducts?format=json&token=123:abcdefabcdefabcdefabcdefabcdefab&x=1") as string;
    expect(url).toBe(`https://joinposter.com/api/menu.getProducts?format=json&token=${REDACTED}&x=1`);
    const cb = redact("/api/poster/callback?code=secretcode42&state=abc") as string;
    expect(cb).toBe(`/api/poster/callback?code=${REDACTED}&state=abc`);
    expect(redact("GET /x?access_token=zzz")).toBe(`GET /x?access_token=${REDACTED}`);
    expect(redact("Authorization: Bearer abc.def.ghi")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact({ note: `token=${POSTER_TOKEN}` })).toEqual({ note: `token=${REDACTED}` });
    expect(redact("cache miss key=restaurant:1")).toBe("cache miss key=restaurant:1");
    expect(redact("password=hunter2&email=a%40b.c")).toBe(`password=${REDACTED}&email=a%40b.c`);
  });

  it("masks sensitive pairs inside serialised JSON strings", () => {
    const body = JSON.stringify({ email: "a@b.c", password: "hunter2 \"quoted\"", nested: { access_token: "t" }, code: "ECONNRESET" });
    const out = redact(body) as string;
    expect(JSON.parse(out)).toEqual({ email: "a@b.c", password: REDACTED, nested: { access_token: REDACTED }, code: "ECONNRESET" });
    expect(JSON.parse(redact('{"code": "oauth-code-123"}') as string)).toEqual({ code: REDACTED });
  });

  it("serialises errors without secrets and handles cycles", () => {
    const cause = new Error(`upstream said token=${POSTER_TOKEN}`);
    const err = Object.assign(new Error(`bad token ${POSTER_TOKEN}`, { cause }), { code: "ECONNRESET" });
    const out = redact({ err }) as { err: { name: string; message: string; stack: string; code: string; cause: { message: string } } };
    expect(out.err.name).toBe("Error");
    expect(out.err.code).toBe("ECONNRESET");
    expect(JSON.stringify(out)).not.toContain("0123456789abcdef");
    expect(out.err.message).toContain(REDACTED);
    expect(out.err.stack).toContain("bad token");
    expect(out.err.cause.message).toContain(REDACTED);

    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(redact(a)).toEqual({ name: "a", self: "[Circular]" });
    const shared = { v: 1 };
    expect(redact({ x: shared, y: shared })).toEqual({ x: { v: 1 }, y: { v: 1 } });
  });

  it("converts dates, bigint, buffers and maps", () => {
    const out = redact({
      at: new Date("2024-01-02T03:04:05Z"),
      n: 10n,
      buf: Buffer.from("abc"),
      m: new Map([["password", "x"], ["ok", "y"]]),
      fn: () => 1,
    });
    expect(out).toEqual({ at: "2024-01-02T03:04:05.000Z", n: "10", buf: "[Binary 3 bytes]", m: { password: REDACTED, ok: "y" } });
  });
});

describe("logger", () => {
  afterEach(() => {
    process.env.LOG_LEVEL = "silent";
    resetEnvForTests();
  });

  it("writes JSON lines with level, time and redacted fields", () => {
    const { logger, lines } = capture("debug");
    logger.info("poster sync failed", { restaurantId: "r1", token: POSTER_TOKEN, err: new Error(`x ${POSTER_TOKEN}`) });
    expect(lines).toHaveLength(1);
    const rec = lines[0]!.record;
    expect(rec).toMatchObject({ level: "info", msg: "poster sync failed", restaurantId: "r1", token: REDACTED });
    expect(typeof rec.time).toBe("string");
    expect(JSON.stringify(rec)).not.toContain("0123456789abcdef");
  });

  it("honours levels", () => {
    const { logger, lines } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => l.record.msg)).toEqual(["w", "e"]);
    expect(logger.isLevelEnabled("info")).toBe(false);

    const silent = capture("silent");
    silent.logger.error("nope");
    expect(silent.lines).toHaveLength(0);
  });

  it("reads LOG_LEVEL from the environment when no level is given", () => {
    process.env.LOG_LEVEL = "error";
    resetEnvForTests();
    const { logger, lines } = capture();
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => l.record.msg)).toEqual(["e"]);
  });

  it("child bindings are added and cannot override level/msg", () => {
    const { logger, lines } = capture("debug");
    logger.child({ module: "cache", level: "evil" }).warn("hello", { msg: "spoof", cookie: "sid=1" });
    expect(lines[0]!.record).toMatchObject({ module: "cache", level: "warn", msg: "hello", cookie: REDACTED });
  });

  it("a message string is redacted too", () => {
    const { logger, lines } = capture("debug");
    logger.error(`GET /cb?code=abc123&state=1`);
    expect(lines[0]!.record.msg).toBe(`GET /cb?code=${REDACTED}&state=1`);
  });

  it("rateLimitedWarn logs once per interval and counts suppressed", () => {
    const { logger, lines } = capture("debug");
    const warn = rateLimitedWarn(logger, 60_000);
    warn("redis down");
    warn("redis down");
    warn("redis down");
    expect(lines).toHaveLength(1);
  });
});

describe("sentryBeforeSend", () => {
  it("redacts request, extra, contexts, breadcrumbs and exceptions", () => {
    const event: ErrorEvent = {
      type: undefined,
      message: `failed with ${POSTER_TOKEN}`,
      request: {
        url: "https://app.example/api/poster/callback?code=oauthcode&account=demo",
        query_string: "code=oauthcode&account=demo",
        headers: { authorization: "Bearer abc", "user-agent": "ua" },
        cookies: { "authjs.session-token": "jwt", theme: "dark" },
        data: { email: "a@b.c", password: "hunter2hunter2" },
      },
      extra: { input: { token: "t", name: "n" } },
      contexts: { poster: { accessToken: "t", account: "demo" } },
      breadcrumbs: [{ message: `fetch ?token=${POSTER_TOKEN}`, data: { url: "/x?token=abc", secret: "s" } }],
      exception: { values: [{ type: "Error", value: `bad ${POSTER_TOKEN}`, stacktrace: { frames: [{ vars: { password: "p" } }] } }] },
    };
    const out = sentryBeforeSend(event);
    const json = JSON.stringify(out);
    expect(json).not.toContain("oauthcode");
    expect(json).not.toContain("hunter2");
    expect(json).not.toContain("0123456789abcdef");
    expect(json).not.toContain("Bearer abc");
    expect(json).not.toContain('"jwt"');
    expect(out.request?.url).toBe(`https://app.example/api/poster/callback?code=${REDACTED}&account=demo`);
    expect(out.request?.query_string).toBe(`code=${REDACTED}&account=demo`);
    expect(out.request?.headers).toEqual({ authorization: REDACTED, "user-agent": "ua" });
    expect(out.request?.cookies).toEqual({ "authjs.session-token": REDACTED, theme: REDACTED });
    expect(out.extra).toEqual({ input: { token: REDACTED, name: "n" } });
    expect(out.contexts).toEqual({ poster: { accessToken: REDACTED, account: "demo" } });
    expect(out.breadcrumbs?.[0]?.data).toEqual({ url: `/x?token=${REDACTED}`, secret: REDACTED });
    expect(out.exception?.values?.[0]?.stacktrace?.frames?.[0]?.vars).toEqual({ password: REDACTED });
    // original untouched
    expect(event.request?.headers?.authorization).toBe("Bearer abc");
  });

  it("handles object and pair-list query strings", () => {
    const a = sentryBeforeSend({ type: undefined, request: { query_string: { token: "t", page: "2" } } });
    expect(a.request?.query_string).toEqual({ token: REDACTED, page: "2" });
    const b = sentryBeforeSend({ type: undefined, request: { query_string: [["code", "c"], ["page", "2"]] } });
    expect(b.request?.query_string).toEqual([["code", REDACTED], ["page", "2"]]);
  });
});

describe("redact: password hashes and query parameters", () => {
  const ARGON = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
  const BCRYPT = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

  it("masks argon2 and bcrypt hashes inside any string", () => {
    expect(redact(`hash=${ARGON}, old ${BCRYPT}.`)).toBe(`hash=${REDACTED}, old ${REDACTED}.`);
  });

  it("masks drizzle's params in a message or stack copied into another error", () => {
    const message = `Failed query: insert into "users" ("email") values ($1)\nparams: someone@example.com,${ARGON}`;
    const out = redact(new Error(message)) as { message: string; stack: string };
    expect(out.message).toBe(`Failed query: insert into "users" ("email") values ($1)\nparams: ${REDACTED}`);
    expect(out.stack).not.toContain("someone@example.com");
    expect(out.stack).toContain("    at ");
  });

  it("logs a database error as its code, names and statement only", () => {
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      name: "PostgresError",
      code: "23505",
      severity: "ERROR",
      detail: "Key (lower(email))=(someone@example.com) already exists.",
      constraint_name: "users_email_key",
      table_name: "users",
    });
    const drizzle = Object.assign(new Error(`Failed query: insert into "users" ("email", "note") values ($1, 'x@y.z')\nparams: someone@example.com`), {
      query: `insert into "users" ("email", "note") values ($1, 'x@y.z')`,
      params: ["someone@example.com"],
      cause: pg,
    });
    const out = redact({ error: drizzle });
    expect(out).toEqual({
      error: {
        name: "Error",
        message: "Failed query",
        statement: `insert into "users" ("email", "note") values ($1, '?')`,
        stack: expect.any(String),
        cause: { name: "PostgresError", message: "Postgres error 23505", code: "23505", constraint: "users_email_key", table: "users", stack: expect.any(String) },
      },
    });
    expect(JSON.stringify(out)).not.toMatch(/someone@example\.com|x@y\.z/);
  });
});
