/** Keys whose values are secrets wherever they appear in a payload (Poster hook data, audit data). */
const SECRET_KEY = /token|secret|password|signature|verify|authorization|cookie|api[_-]?key/i;
const TOKEN_VALUE = /\b\d+:[0-9a-f]{32}\b/gi;

/** A copy for a person to read: secret keys' values masked, Poster-token-shaped strings masked everywhere. */
export function maskSecrets<T>(value: T, depth = 0): T {
  if (depth > 8) return "…" as T;
  if (typeof value === "string") return value.replace(TOKEN_VALUE, "•••") as T;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== null && v !== "" ? "•••" : maskSecrets(v, depth + 1);
    return out as T;
  }
  return value;
}
