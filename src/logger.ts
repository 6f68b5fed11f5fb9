import { createRequire } from 'node:module';
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

const REDACTED = '[redacted]';
// Keys whose values are credentials wherever they sit (config.slack.botToken, headers.authorization, …).
const SECRET_KEY = /token|secret|password|passwd|authorization|cookie|credential|api_?key|database_?url/i;
// Values bound to a database query (and PostgreSQL's detail, which quotes them): the text people typed.
const QUERY_VALUES_KEY = /^(parameters|params|args|detail)$/;
const TEXT_PATTERNS: [RegExp, string][] = [
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, REDACTED], // Slack tokens
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`], // postgres://user:password@host
  [/\b(params: )[\s\S]*/g, `$1${REDACTED}`], // drizzle's "Failed query: … params: …"
  [/("?(?:authorization|cookie|password|token|secret)"?\s*[:=]\s*)("[^"]*"|[^\s,;&}]+)/gi, `$1"${REDACTED}"`],
];
const MAX_DEPTH = 8;

/** Masks credentials and query values inside one string: known secret values, Slack tokens, URL passwords. */
function scrubText(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join(REDACTED);
  for (const [pattern, replacement] of TEXT_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/**
 * A copy of `value` safe to log, at any depth: secret-named keys and query values replaced, every
 * string scrubbed, errors turned into plain objects, and objects of other classes (a request, a
 * socket) named rather than walked, so a crash never dumps a request with its headers.
 */
function scrub(value: unknown, secrets: readonly string[], seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  const entries = (source: object, extra: Record<string, unknown> = {}) => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries({ ...extra, ...source })) {
      if (QUERY_VALUES_KEY.test(key)) continue;
      out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(v, secrets, seen, depth + 1);
    }
    return out;
  };
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, seen, depth + 1));
  if (value instanceof Error) {
    const { cause } = value as { cause?: unknown };
    return entries(value, {
      type: value.name,
      message: value.message,
      stack: value.stack,
      ...(cause === undefined ? {} : { cause }),
    });
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return entries(value);
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return scrub(toJSON.call(value), secrets, seen, depth + 1);
  return `[${(value as object).constructor?.name ?? 'object'}]`;
}

/**
 * Structured logger: JSON lines in production, readable lines at a terminal. Whatever is logged —
 * messages, objects nested at any depth, errors and their causes — is scrubbed first: credentials by
 * key name and by shape (Slack tokens, URL passwords), the configured `secrets` by value, and the
 * values bound to database queries.
 */
export function createLogger({
  level,
  pretty: prettyOutput,
  secrets = [],
  destination,
}: {
  level: string;
  pretty: boolean;
  secrets?: readonly string[];
  /** Where JSON lines go: stdout unless a test collects them. */
  destination?: DestinationStream;
}): Logger {
  const known = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  const options = {
    level,
    base: { app: 'frontline' },
    // Errors reach pino already turned into plain, scrubbed objects by the hook below.
    serializers: { err: (err: unknown) => err },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => scrub(arg, known)),
        );
      },
    },
  };
  const pretty = prettyOutput ? loadPinoPretty() : undefined;
  if (pretty)
    return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' }));
  return destination ? pino(options, destination) : pino(options);
}

/** pino-pretty is a development dependency: without it (a production install) logs stay JSON lines. */
function loadPinoPretty(): typeof import('pino-pretty') | undefined {
  try {
    return createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  } catch {
    return undefined;
  }
}

/**
 * Logs an uncaught exception or unhandled rejection through the scrubbing logger and exits 1:
 * Node's default would print the error with whatever it carries (a request and its headers).
 */
export function exitOnCrash(logger: Logger): void {
  const crash = (err: unknown) => {
    logger.fatal({ err }, 'Frontline crashed');
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Adapts pino to the logger interface Bolt and its clients expect. */
export function toBoltLogger(logger: Logger, name = 'slack'): BoltLogger {
  const child = logger.child({ component: name });
  const join = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
