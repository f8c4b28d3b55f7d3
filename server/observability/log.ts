import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import { env } from "@/server/env";
import { currentContext } from "@/server/observability/context";
import { redact, REDACTED, redactString } from "@/server/observability/redact";

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

/**
 * pino's own redaction, by path, for the fields we know carry secrets or personal data (the deep, shape-based
 * masking of `redact` runs first, in the log formatter): tokens, passwords, e-mail addresses, query parameters.
 */
export const REDACT_PATHS = [
  "password", "*.password", "token", "*.token", "accessToken", "*.accessToken", "refreshToken", "*.refreshToken",
  "secret", "*.secret", "authorization", "*.authorization", "headers.authorization", "headers.cookie", "cookie",
  "email", "*.email", "to", "*.to", "params", "*.params", "query", "*.query",
];

function currentThreshold(): LogThreshold {
  try {
    return env().LOG_LEVEL;
  } catch {
    // A broken environment must not stop us from logging why.
    return "info";
  }
}

/** The work context (request, restaurant, user, job) on every line, without empty fields. */
function contextFields(): LogFields {
  const c = currentContext();
  if (!c) return {};
  const out: LogFields = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function makePino(sink: LogSink | undefined, level: { current: LogLevel }): PinoLogger {
  // A sink gets each line with its level: pino writes synchronously to a plain object stream.
  const destination: DestinationStream = sink
    ? { write: (line: string) => sink(line.replace(/\n$/, ""), level.current) }
    : pino.multistream(
        [
          { level: "debug", stream: process.stdout },
          { level: "warn", stream: process.stderr },
        ],
        { dedupe: true },
      );
  return pino(
    {
      level: "debug",
      base: undefined,
      messageKey: "msg",
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: contextFields,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redact(fields) as LogFields,
      },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination,
  );
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = { current: "info" as LogLevel };
  const root = makePino(options.sink, level);
  const build = (instance: PinoLogger): Logger => {
    const threshold = (): LogThreshold => options.level ?? currentThreshold();
    const enabled = (l: LogLevel) => RANK[l] >= RANK[threshold()];
    const emit = (l: LogLevel, msg: string, fields?: LogFields) => {
      if (!enabled(l)) return;
      level.current = l;
      try {
        instance[l](fields ?? {}, redactString(msg));
      } catch {
        // Logging must never break a request.
      }
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (extra) => build(instance.child(redact(extra) as LogFields)),
      isLevelEnabled: enabled,
    };
  };
  return build(options.bindings ? root.child(redact(options.bindings) as LogFields) : root);
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
