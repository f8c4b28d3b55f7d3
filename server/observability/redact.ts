/**
 * Redaction for anything that leaves the process (log lines, Sentry events).
 * Secrets are masked by key name at any depth and by shape inside any string.
 */

export const REDACTED = "[REDACTED]";

const MAX_DEPTH = 12;
const MAX_ARRAY = 200;

/** Key names compared after lowercasing and dropping everything but letters and digits. */
const SENSITIVE_KEYS = new Set([
  "password",
  "passwordhash",
  "newpassword",
  "oldpassword",
  "currentpassword",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
  "resettoken",
  "invitetoken",
  "secret",
  "clientsecret",
  "applicationsecret",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "cookies",
  "apikey",
  "xapikey",
  "privatekey",
  "encryptionkey",
  "tokenencryptionkeys",
  "authsecret",
]);

/** Suffixes that make any key sensitive (e.g. posterAccessToken, qstashSigningKey, clientSecret). */
const SENSITIVE_SUFFIXES = ["password", "passwordhash", "token", "secret", "signingkey", "apikey"];

/**
 * `code` is the OAuth authorization code, but error objects also carry a `code` (ECONNREFUSED,
 * tRPC's UNAUTHORIZED, SQLSTATE 23505). Those shapes are kept because they are what makes logs useful.
 */
const ERROR_CODE_SHAPE = /^(?:[A-Z][A-Z0-9_]{1,40}|[0-9A-Z]{5})$/;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isSensitiveKey(key: string): boolean {
  const k = normaliseKey(key);
  if (SENSITIVE_KEYS.has(k)) return true;
  return SENSITIVE_SUFFIXES.some((s) => k.endsWith(s));
}

function isSensitiveCode(key: string, value: unknown): boolean {
  if (normaliseKey(key) !== "code") return false;
  if (typeof value === "number") return false;
  return !(typeof value === "string" && ERROR_CODE_SHAPE.test(value));
}

/** Poster access tokens look like `<account id>:<32 hex>`; the account id is kept for debugging. */
const POSTER_TOKEN = /\b(\d+):[0-9a-fA-F]{32}\b/g;
/** Sensitive query/form parameters inside URLs or free text: `?token=...`, `&code=...`. */
const SECRET_PARAM =
  /((?:^|[?&#;\s,"'(])(?:access_token|refresh_token|id_token|token|code|password|secret|client_secret|api_key|apikey|signature)=)[^&#\s"',;)]+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
/** `"key": "value"` pairs inside serialised JSON (request bodies, upstream error texts). */
const JSON_PAIR = /"([A-Za-z0-9_.-]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** JWT-looking strings (three base64url segments, the first one a JSON header). */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
/** Our own encrypted-secret format (server/crypto/secrets.ts): harmless, but noise that looks like a key. */
const SEALED_SECRET = /\bv1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*/g;

/** Password hashes (argon2 in PHC format, bcrypt): never useful in a log, and crackable offline. */
const ARGON2_HASH = /\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+(?:\$[A-Za-z0-9+/=]+){1,2}|\$argon2(?:id|i|d)\$[^\s"',;)]+/g;
const BCRYPT_HASH = /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g;
/** drizzle's "Failed query: …\nparams: <values>" (copied into wrapping errors' messages and stacks): values are user data. */
const QUERY_PARAMS = /(\bparams: )[\s\S]*?(?=\n\s+at |$)/g;

export function redactString(input: string): string {
  return input
    .replace(QUERY_PARAMS, `$1${REDACTED}`)
    .replace(ARGON2_HASH, REDACTED)
    .replace(BCRYPT_HASH, REDACTED)
    .replace(JSON_PAIR, (pair, key: string, colon: string, value: string) =>
      isSensitiveKey(key) || isSensitiveCode(key, value) ? `"${key}"${colon}"${REDACTED}"` : pair,
    )
    .replace(POSTER_TOKEN, `$1:${REDACTED}`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(SEALED_SECRET, REDACTED);
}

export interface SerialisedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: unknown;
}

/** drizzle's wrapper of a failed statement: `query` (SQL with $n placeholders) and `params` (the values). */
function isQueryError(err: Error): err is Error & { query: string; params: unknown[] } {
  const e = err as { query?: unknown; params?: unknown };
  return typeof e.query === "string" && Array.isArray(e.params);
}

/** A Postgres error (postgres.js PostgresError, PGlite DatabaseError): an SQLSTATE code and a severity. */
function isPostgresError(err: Error): boolean {
  const e = err as { code?: unknown; severity?: unknown };
  return typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string";
}

/** The statement without literals (a hand-written `sql` fragment may inline one), bounded. */
export function redactStatement(statement: string): string {
  const bare = statement.replace(/'(?:[^']|'')*'/g, "'?'").replace(/\s+/g, " ").trim();
  return redactString(bare.length > 1000 ? `${bare.slice(0, 1000)}…` : bare);
}

/** Only the stack's frames: its first line repeats the message. */
const framesOf = (stack: string | undefined) => stack?.split("\n").filter((l) => /^\s+at /.test(l)).join("\n") || undefined;

/**
 * Database errors keep only what is not data: the Postgres code, the names of the constraint, table and column,
 * and the statement with placeholders. Never the parameters (e-mails, names, password hashes), nor Postgres's
 * message and detail, which quote values ("invalid input syntax for type uuid: …", "Key (email)=(…)").
 */
function serialiseDatabaseError(err: Error, seen: WeakSet<object>, depth: number): SerialisedError & Record<string, unknown> {
  if (!isPostgresError(err) && isQueryError(err)) {
    const out: SerialisedError & Record<string, unknown> = { name: err.name, message: "Failed query", statement: redactStatement(err.query) };
    const stack = framesOf(err.stack);
    if (stack) out.stack = stack;
    if (err.cause !== undefined) out.cause = walk(err.cause, seen, depth + 1);
    return out;
  }
  const e = err as unknown as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => e[k]).find((v): v is string => typeof v === "string" && v !== "");
  const out: SerialisedError & Record<string, unknown> = { name: err.name, message: `Postgres error ${String(e.code)}`, code: e.code };
  const names = { constraint: pick("constraint_name", "constraint"), table: pick("table_name", "table"), column: pick("column_name", "column") };
  for (const [k, v] of Object.entries(names)) if (v) out[k] = v;
  // PGlite's error carries the statement itself (and its params, left out).
  if (typeof e.query === "string") out.statement = redactStatement(e.query);
  const stack = framesOf(err.stack);
  if (stack) out.stack = stack;
  return out;
}

function serialiseError(err: Error, seen: WeakSet<object>, depth: number): SerialisedError {
  if (isQueryError(err) || isPostgresError(err)) return serialiseDatabaseError(err, seen, depth);
  const out: SerialisedError = { name: err.name, message: redactString(err.message) };
  if (err.stack) out.stack = redactString(err.stack);
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = isSensitiveCode("code", code) ? REDACTED : code;
  if (err.cause !== undefined) out.cause = walk(err.cause, seen, depth + 1);
  return out;
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "function" || typeof value === "symbol") return undefined;
    return value;
  }
  if (seen.has(value)) return "[Circular]";
  if (depth > MAX_DEPTH) return "[MaxDepth]";
  seen.add(value);
  try {
    if (value instanceof Error) return serialiseError(value, seen, depth);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
    if (value instanceof URL) return redactString(value.toString());
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[Binary ${value.byteLength} bytes]`;
    if (value instanceof Map) return walkEntries([...value.entries()].map(([k, v]) => [String(k), v]), seen, depth);
    if (value instanceof Set) return walk([...value], seen, depth);
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ARRAY).map((v) => walk(v, seen, depth + 1));
      if (value.length > MAX_ARRAY) items.push(`[${value.length - MAX_ARRAY} more]`);
      return items;
    }
    // Headers-like objects (fetch Headers) expose entries().
    if (typeof Headers !== "undefined" && value instanceof Headers) return walkEntries([...value.entries()], seen, depth);
    return walkEntries(Object.entries(value), seen, depth);
  } finally {
    // Only ancestors count as circular; the same object may legitimately appear twice side by side.
    seen.delete(value);
  }
}

function walkEntries(entries: [string, unknown][], seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    if (v === undefined) continue;
    if (isSensitiveKey(key) || isSensitiveCode(key, v)) {
      out[key] = v === null || v === "" ? v : REDACTED;
      continue;
    }
    const r = walk(v, seen, depth + 1);
    if (r !== undefined) out[key] = r;
  }
  return out;
}

/**
 * A deep copy of `value` that is safe to log: sensitive keys masked, token shapes in strings masked,
 * Errors turned into plain `{ name, message, stack, code, cause }`, cycles broken. Never mutates input.
 */
export function redact(value: unknown): unknown {
  return walk(value, new WeakSet(), 0);
}

/** `redact` for a record, keeping the record type for callers that need it (Sentry's event fields). */
export function redactRecord<T extends Record<string, unknown>>(value: T): T {
  return redact(value) as T;
}
