/**
 * A best-effort key/value cache. Values must be JSON-serialisable (they round-trip through JSON on
 * every backend, so a Date comes back as a string); `undefined` is never cached.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  /** Several keys in one round trip, in order; a miss is undefined. */
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  /**
   * Caches a value read from the database only if the key holds nothing, not even a recent invalidation: a load
   * that read the database before a write committed must not put back what the write's invalidation removed.
   */
  fill<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /**
   * Removes the value and, for `holdSeconds`, refuses fills of the key (reads miss meanwhile). Call after the
   * write that changed the data committed.
   */
  invalidate(key: string, holdSeconds?: number): Promise<void>;
  /** The cached value, or the loader's result (cached for `ttlSeconds`). Loader errors propagate and are not cached. */
  getOrSet<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T>;
}

/** How long an invalidation blocks fills: longer than any load that might have read the old data. */
export const INVALIDATION_HOLD_SECONDS = 5;

/** Shared getOrSet with per-process single-flight: concurrent misses for one key run the loader once. */
export function createGetOrSet(cache: Pick<Cache, "get" | "fill">): Cache["getOrSet"] {
  const inflight = new Map<string, Promise<unknown>>();
  return async <T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> => {
    const hit = await cache.get<T>(key);
    if (hit !== undefined) return hit;
    const pending = inflight.get(key);
    if (pending) return pending as Promise<T>;
    const run = (async () => {
      try {
        const value = await loader();
        await cache.fill(key, value, ttlSeconds);
        return value;
      } finally {
        inflight.delete(key);
      }
    })();
    inflight.set(key, run);
    return run;
  };
}
