import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import IORedis from "ioredis";

/**
 * A small HTTP bridge that speaks the Upstash REST protocol to a real Redis, so tests exercise
 * `@upstash/redis` and `@upstash/ratelimit` (the production clients) against the machine's Redis 7.
 */
export interface UpstashBridge {
  url: string;
  token: string;
  redis: IORedis;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: string };

/** ioredis turns HGETALL into an object; Upstash (like Redis) answers a flat [k1, v1, k2, v2] array. */
function flatten(value: unknown): unknown {
  if (value === undefined) return null;
  if (value && typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    return Object.entries(value as Record<string, unknown>).flat();
  }
  return value;
}

function encode(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

/** Redis 7.0 rejects the `allow-key-locking` shebang flag that @upstash/ratelimit 2.1+ sends. */
function stripShebangFlags(args: string[]): string[] {
  const [cmd, script, ...rest] = args;
  if (cmd && /^eval$/i.test(cmd) && typeof script === "string" && script.startsWith("#!lua")) {
    return [cmd, script.replace(/^#!lua[^\n]*\n/, ""), ...rest];
  }
  if (cmd && /^script$/i.test(cmd) && rest.length === 0 && typeof script === "string") return args;
  if (cmd && /^script$/i.test(cmd) && /^load$/i.test(script ?? "") && rest[0]?.startsWith("#!lua")) {
    return [cmd, script!, rest[0].replace(/^#!lua[^\n]*\n/, "")];
  }
  return args;
}

/** `port`: a fixed port, so a test can stop the bridge and start it again at the same URL (Redis "down", then back). */
export async function startUpstashBridge(opts: { redisUrl?: string; token?: string; db?: number; port?: number } = {}): Promise<UpstashBridge> {
  const token = opts.token ?? "test-token";
  const redis = new IORedis(opts.redisUrl ?? "redis://127.0.0.1:6379", { db: opts.db ?? 0, lazyConnect: false, maxRetriesPerRequest: 1 });
  const run = async (command: unknown): Promise<Reply> => {
    if (!Array.isArray(command) || command.length === 0) return { error: "ERR bad command" };
    const args = stripShebangFlags(command.map((a) => (typeof a === "string" ? a : JSON.stringify(a))));
    try {
      const result = await redis.call(args[0]!, ...args.slice(1));
      return { result: flatten(result) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      void (async () => {
        if (req.headers.authorization !== `Bearer ${token}`) {
          res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "Unauthorized" }));
          return;
        }
        const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
        const wrap = (r: Reply) => ("result" in r && base64 ? { result: encode(r.result) } : r);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body || "null");
        } catch {
          res.writeHead(400).end(JSON.stringify({ error: "bad json" }));
          return;
        }
        const path = (req.url ?? "/").split("?")[0];
        let out: unknown;
        if (path === "/pipeline" || path === "/multi-exec") {
          const cmds = Array.isArray(parsed) ? parsed : [];
          if (path === "/multi-exec") {
            const commands = cmds.map((c: unknown) => stripShebangFlags((c as unknown[]).map(String)));
            const results: [Error | null, unknown][] = (await redis.multi(commands as string[][]).exec()) ?? [];
            out = results.map(([e, r]) => wrap(e ? { error: e.message } : { result: flatten(r) }));
          } else {
            out = await Promise.all(cmds.map(async (c: unknown) => wrap(await run(c))));
          }
        } else {
          const r = await run(parsed);
          out = wrap(r);
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
      })().catch((err: unknown) => {
        res.writeHead(500).end(JSON.stringify({ error: String(err) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    redis,
    close: async () => {
      // Clients keep their connections alive: drop them, or close() waits for them (and they would keep working).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      redis.disconnect();
    },
  };
}
