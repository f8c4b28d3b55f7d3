export interface RateLimitResult {
  success: boolean;
  /** Requests still allowed in the current window (0 when blocked). */
  remaining: number;
  /** 0 when allowed; otherwise whole seconds to wait before the next attempt can succeed (≥ 1). */
  retryAfterSeconds: number;
  limit: number;
}

export interface RateLimiter {
  limit(key: string): Promise<RateLimitResult>;
  /** Forget the key's usage (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

/** Keys go into Redis glob patterns on reset; escape the glob characters (and the escape itself). */
export function safeKey(key: string): string {
  return key.replace(/[%*?[\]\\]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}
