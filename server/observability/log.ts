import { env } from "@/server/env";
import { redact, redactString } from "@/server/observability/redact";

export { redact, redactString, redactRecord, isSensitiveKey, REDACTED } from "@/server/observability/redact";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogThreshold = LogLevel | "silent";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line (e.g. { module: "cache" } or { restaurantId }). */
  child(bindings: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export type LogSink = (line: string, level: LogLevel) => void;

export interface LoggerOptions {
  /** Fixed threshold; by default LOG_LEVEL is read on every call so tests and ops can change it. */
  level?: LogThreshold;
  bindings?: LogFields;
  /** Where lines go; default: debug/info → stdout, warn/error → stderr. */
  sink?: LogSink;
}

const RANK: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const defaultSink: LogSink = (line, level) => {
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(line + "\n");
};

function currentThreshold(): LogThreshold {
  try {
    return env().LOG_LEVEL;
  } catch {
    // A broken environment must not stop us from logging why.
    return "info";
  }
}

/** JSON.stringify that never throws (redact already removed cycles, bigint and functions). */
function toLine(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({ time: record.time, level: record.level, msg: "unserialisable log line" });
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? defaultSink;
  const bindings = options.bindings ?? {};
  const threshold = (): LogThreshold => options.level ?? currentThreshold();
  const enabled = (level: LogLevel) => RANK[level] >= RANK[threshold()];

  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (!enabled(level)) return;
    // `msg`, `level` and `time` come last so fields can't overwrite them.
    const payload = redact({ ...bindings, ...fields }) as LogFields;
    const record = { ...payload, time: new Date().toISOString(), level, msg: redactString(msg) };
    try {
      sink(toLine(record), level);
    } catch {
      // Logging must never break a request.
    }
  };

  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (extra) => createLogger({ ...options, bindings: { ...bindings, ...extra } }),
    isLevelEnabled: enabled,
  };
}

/** The process-wide logger. */
export const log: Logger = createLogger();

/**
 * Returns a `warn` that logs at most once per `intervalMs` and reports how many were suppressed,
 * for failure paths that may fire on every request (Redis down).
 */
export function rateLimitedWarn(logger: Logger, intervalMs = 30_000): (msg: string, fields?: LogFields) => void {
  let last = 0;
  let suppressed = 0;
  return (msg, fields) => {
    const now = Date.now();
    if (last !== 0 && now - last < intervalMs) {
      suppressed++;
      return;
    }
    last = now;
    logger.warn(msg, suppressed > 0 ? { ...fields, suppressed } : fields);
    suppressed = 0;
  };
}
