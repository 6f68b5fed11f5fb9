import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const SECRET_PATTERN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)/g;

/** Structured logger: JSON lines in production, readable lines at a terminal; Slack tokens are masked. */
export function createLogger({ level, pretty: prettyOutput }: { level: string; pretty: boolean }): Logger {
  const options = {
    level,
    base: { app: 'frontline' },
    redact: {
      paths: ['token', '*.token', 'botToken', '*.botToken', 'signingSecret', '*.signingSecret', 'appToken', '*.appToken', 'headers.authorization', '*.headers.authorization'],
      censor: '[redacted]',
    },
    hooks: {
      // Libraries sometimes put a token inside a message string; mask it wherever it appears.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? arg.replace(SECRET_PATTERN, '[redacted]') : arg)));
      },
    },
  };
  return prettyOutput ? pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' })) : pino(options);
}

/** Adapts pino to the logger interface Bolt and its clients expect. */
export function toBoltLogger(logger: Logger, name = 'slack'): BoltLogger {
  const child = logger.child({ component: name });
  const join = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
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
