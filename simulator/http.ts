/** Response helpers shared by the simulator's routes. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

const errorCodes = new WeakMap<Response, number>();

/** Poster's regular error envelope, HTTP 200 like every application error. */
export function posterError(code: number, message: string, status = 200, headers: Record<string, string> = {}): Response {
  const res = json({ error: { code, message } }, status, headers);
  errorCodes.set(res, code);
  return res;
}

/** The Poster error code of a response built by posterError (for the request log, without re-parsing). */
export const errorCodeOf = (res: Response): number | null => errorCodes.get(res) ?? null;

/** Thrown by handle() when a fault says "drop the connection"; adapters turn it into a reset socket. */
export class SimulatedDropError extends Error {
  constructor() {
    super("Simulated dropped connection");
    this.name = "SimulatedDropError";
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
