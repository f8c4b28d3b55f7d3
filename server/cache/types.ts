/**
 * A best-effort key/value cache. Values must be JSON-serialisable (they round-trip through JSON on
 * every backend, so a Date comes back as a string); `undefined` is never cached.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** The cached value, or the loader's result (cached for `ttlSeconds`). Loader errors propagate and are not cached. */
  getOrSet<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T>;
}

/** Shared getOrSet with per-process single-flight: concurrent misses for one key run the loader once. */
export function createGetOrSet(cache: Pick<Cache, "get" | "set">): Cache["getOrSet"] {
  const inflight = new Map<string, Promise<unknown>>();
  return async <T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> => {
    const hit = await cache.get<T>(key);
    if (hit !== undefined) return hit;
    const pending = inflight.get(key);
    if (pending) return pending as Promise<T>;
    const run = (async () => {
      try {
        const value = await loader();
        await cache.set(key, value, ttlSeconds);
        return value;
      } finally {
        inflight.delete(key);
      }
    })();
    inflight.set(key, run);
    return run;
  };
}
