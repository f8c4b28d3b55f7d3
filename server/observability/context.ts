import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** Who and what the current piece of work is for: added to every log line and every Sentry report. */
export interface WorkContext {
  requestId: string;
  restaurantId?: string | null;
  userId?: string | null;
  jobId?: string | null;
  jobKind?: string | null;
  procedure?: string | null;
}

const storage = new AsyncLocalStorage<WorkContext>();

/** A caller's X-Request-Id is kept only in a harmless shape (it lands in logs); otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdFrom(headers: Headers | null | undefined): string {
  const given = headers?.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Runs `fn` with `context` as its own (a request, a procedure call, a job execution); nested work inherits it. */
export function runWithContext<T>(context: WorkContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): WorkContext | undefined {
  return storage.getStore();
}

/** Adds what became known later (the user after the session check, the restaurant after access). */
export function addToContext(fields: Partial<Omit<WorkContext, "requestId">>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}
