import { createHash, createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");

/**
 * An `Upstash-Signature` as QStash makes it: an HS256 JWT keyed by the signing key, over the destination URL
 * (`sub`) and the sha256 of the raw body (`body`). `expiresIn` < 0 gives an expired token.
 */
export function signQstash(opts: { body: string; url: string; key: string; expiresIn?: number; now?: number }): string {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = b64url(
    JSON.stringify({
      iss: "Upstash",
      sub: opts.url,
      exp: now + (opts.expiresIn ?? 300),
      nbf: now - 60 + Math.min(0, opts.expiresIn ?? 0),
      iat: now,
      jti: randomUUID(),
      body: b64url(createHash("sha256").update(opts.body).digest()),
    }),
  );
  const signature = b64url(createHmac("sha256", opts.key).update(`${header}.${claims}`).digest());
  return `${header}.${claims}.${signature}`;
}

/** Serves a Fetch-API route handler over real HTTP on port 0 (for the simulator's webhook deliveries). */
export async function serveRoute(handler: (request: Request) => Promise<Response>): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
      handler(request)
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the value and the time it took. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5_000, everyMs = 50): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
