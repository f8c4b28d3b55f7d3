import type { JobHandler, JobKind } from "./types";

const KEY = Symbol.for("restaurant-checklist.job-handlers");
type Holder = { [KEY]?: Map<string, JobHandler> };

/** One registry per process (on globalThis so dev hot reloads and the route share it). */
function handlers(): Map<string, JobHandler> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

export function registerJobHandler(kind: JobKind, handler: JobHandler): void {
  handlers().set(kind, handler);
}

export function getJobHandler(kind: string): JobHandler | undefined {
  return handlers().get(kind);
}

/** Tests only: remove a probe handler. */
export function unregisterJobHandler(kind: JobKind): void {
  handlers().delete(kind);
}
