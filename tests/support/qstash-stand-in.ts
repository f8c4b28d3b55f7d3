import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { signQstash } from "./jobs";

/**
 * A local stand-in for QStash (no QStash server can run here, see ../shared/STACK.md): it accepts what
 * `@upstash/qstash`'s Client publishes (`POST /v2/publish/<destination>`) and delivers each message, signed as
 * QStash signs, through `deliver`, the way QStash behaves: at most `parallelism` deliveries at once per
 * flow-control key, `Upstash-Delay` respected, every non-2xx answer retried (up to `Upstash-Retries`, here after
 * `retryDelayMs` instead of the message's backoff formula), deduplicated on `Upstash-Deduplication-Id`.
 */
export interface QstashStandIn {
  url: string;
  /** Resolves when every accepted message was answered 2xx or ran out of retries. */
  idle(): Promise<void>;
  stats(): { published: number; deliveries: number; retried: number; failed: number; flowKeyPeak: number };
  close(): Promise<void>;
}

interface Message {
  id: string;
  destination: string;
  body: string;
  flowKey: string | null;
  parallelism: number;
  retries: number;
  retried: number;
  notBefore: number;
}

export async function startQstashStandIn(opts: {
  signingKey: string;
  deliver: (destination: string, body: string, headers: Headers) => Promise<Response>;
  /** Deliveries in flight at once, over all keys. */
  concurrency: number;
  retryDelayMs?: number;
}): Promise<QstashStandIn> {
  const waiting: Message[] = [];
  const active = new Map<string, number>();
  const dedup = new Set<string>();
  let inFlight = 0;
  const counts = { published: 0, deliveries: 0, retried: 0, failed: 0, flowKeyPeak: 0 };
  let idleWaiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | null = null;

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    });

  function pump() {
    const now = Date.now();
    for (let i = 0; i < waiting.length && inFlight < opts.concurrency; ) {
      const m = waiting[i]!;
      const busy = m.flowKey ? (active.get(m.flowKey) ?? 0) : 0;
      if (m.notBefore > now || (m.flowKey && busy >= m.parallelism)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      void run(m);
    }
    const next = waiting.reduce((t, m) => Math.min(t, m.notBefore), Infinity);
    if (timer) clearTimeout(timer);
    timer = next > now && Number.isFinite(next) ? setTimeout(pump, next - now) : null;
    if (waiting.length === 0 && inFlight === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  }

  async function run(m: Message) {
    inFlight++;
    if (m.flowKey) {
      const n = (active.get(m.flowKey) ?? 0) + 1;
      active.set(m.flowKey, n);
      counts.flowKeyPeak = Math.max(counts.flowKeyPeak, n);
    }
    counts.deliveries++;
    let ok = false;
    try {
      const headers = new Headers({
        "content-type": "application/json",
        "upstash-message-id": m.id,
        "upstash-retried": String(m.retried),
        "upstash-signature": signQstash({ body: m.body, url: m.destination, key: opts.signingKey }),
      });
      const res = await opts.deliver(m.destination, m.body, headers);
      ok = res.ok;
    } catch {
      ok = false;
    } finally {
      inFlight--;
      if (m.flowKey) active.set(m.flowKey, (active.get(m.flowKey) ?? 1) - 1);
    }
    if (!ok && m.retried < m.retries) {
      counts.retried++;
      waiting.push({ ...m, retried: m.retried + 1, notBefore: Date.now() + (opts.retryDelayMs ?? 200) });
    } else if (!ok) {
      counts.failed++;
    }
    pump();
  }

  const server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const prefix = "/v2/publish/";
      if (req.method !== "POST" || !req.url?.startsWith(prefix)) {
        res.writeHead(404, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: "not found" }));
      }
      const h = req.headers;
      const dedupId = h["upstash-deduplication-id"] as string | undefined;
      const id = `msg_${counts.published + 1}`;
      if (dedupId && dedup.has(dedupId)) {
        res.writeHead(202, { "content-type": "application/json" });
        return res.end(JSON.stringify({ messageId: id, deduplicated: true }));
      }
      if (dedupId) dedup.add(dedupId);
      counts.published++;
      const flowValue = String(h["upstash-flow-control-value"] ?? "");
      const delay = /^(\d+)s$/.exec(String(h["upstash-delay"] ?? ""));
      waiting.push({
        id,
        destination: decodeURIComponent(req.url.slice(prefix.length)),
        body,
        flowKey: (h["upstash-flow-control-key"] as string | undefined) ?? null,
        parallelism: Number(/parallelism=(\d+)/.exec(flowValue)?.[1] ?? Infinity),
        retries: Number(h["upstash-retries"] ?? 3),
        retried: 0,
        notBefore: Date.now() + (delay ? Number(delay[1]) * 1000 : 0),
      });
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ messageId: id }));
      setImmediate(pump);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    idle: () => (waiting.length === 0 && inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    stats: () => ({ ...counts }),
    close: () => {
      if (timer) clearTimeout(timer);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
