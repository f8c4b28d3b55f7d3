import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { SimulatedDropError } from "./http";
import type { PosterSimulator, PosterSimulatorOptions } from "./contract";
import { createPosterSimulator } from "./simulator";

export interface PosterSimulatorServer {
  simulator: PosterSimulator;
  server: Server;
  port: number;
  /** e.g. "http://127.0.0.1:4010" (+ basePath): the client's baseUrl. */
  url: string;
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const controller = new AbortController();
  req.socket.once("close", () => controller.abort());
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method ?? "GET",
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** node:http adapter for `npm run poster:sim` and tests that need a real socket. */
export async function startPosterSimulatorServer(
  opts: { port?: number; host?: string; simulator?: PosterSimulator } & PosterSimulatorOptions = {},
): Promise<PosterSimulatorServer> {
  const simulator = opts.simulator ?? createPosterSimulator(opts);
  const host = opts.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? host}`;
    simulator
      .handle(toRequest(req, origin))
      .then((response) => send(res, response))
      .catch((err: unknown) => {
        // A "dropped connection" fault: reset the socket without any response.
        if (err instanceof SimulatedDropError) return void req.socket.destroy();
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: 500, message: "Simulator error" } }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    simulator,
    server,
    port,
    url: `http://${host}:${port}${simulator.basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        simulator.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
