import { log } from "@/server/observability/log";

const pending = new Set<Promise<void>>();

/**
 * Work that must not run inside the caller's open tenant transaction: it opens its own (the embedded database
 * runs one transaction at a time, so awaiting it there would wait forever). On the embedded database it starts
 * once the caller's transaction ends; on Postgres it runs beside it, so it must tolerate not seeing the caller's
 * rows yet (the supply job retries). Failures are logged by `label`.
 */
export function runInBackground(label: string, context: Record<string, unknown>, task: () => Promise<unknown>): void {
  const p = Promise.resolve()
    .then(task)
    .then(
      () => undefined,
      (error: unknown) => log.error(`${label} failed`, { ...context, error }),
    );
  pending.add(p);
  void p.finally(() => pending.delete(p));
}

/** Resolves when everything started so far has finished (tests, graceful shutdown). */
export async function settleBackground(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}
