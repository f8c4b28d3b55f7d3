import { createGetOrSet, INVALIDATION_HOLD_SECONDS, type Cache } from "@/server/cache/types";

export interface MemoryCacheOptions {
  /** Oldest-used entries are evicted beyond this many keys. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  /** Null: an invalidation holding off fills until it expires. */
  json: string | null;
  expiresAt: number;
}

/** In-process LRU with TTL: the embedded default and the fallback for tests. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  readonly getOrSet: Cache["getOrSet"];

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 5_000);
    this.now = options.now ?? Date.now;
    this.getOrSet = createGetOrSet(this);
  }

  get size(): number {
    return this.entries.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.json === null) return undefined;
    // Map keeps insertion order: re-inserting marks the key as most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Stored as JSON so callers can't mutate the cached copy and both backends behave alike.
    return JSON.parse(entry.json) as T;
  }

  async getMany<T>(keys: string[]): Promise<(T | undefined)[]> {
    return Promise.all(keys.map((k) => this.get<T>(k)));
  }

  async fill<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return;
    await this.set(key, value, ttlSeconds);
  }

  async invalidate(key: string, holdSeconds = INVALIDATION_HOLD_SECONDS): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { json: null, expiresAt: this.now() + holdSeconds * 1000 });
    this.evict();
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const json = value === undefined ? undefined : JSON.stringify(value);
    if (json === undefined || !(ttlSeconds > 0)) {
      this.entries.delete(key);
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { json, expiresAt: this.now() + ttlSeconds * 1000 });
    this.evict();
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    // The head of the Map is the least recently used key; expired ones are dropped lazily on read.
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }
}
