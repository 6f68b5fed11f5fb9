import { z } from 'zod';
import { SLACK_USER_ID } from './slack/mentions.ts';
import { isTimeZone } from './time-zones.ts';

/** Thrown when the environment cannot start the app; `problems` names each bad variable and its fix. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    heading = 'Frontline cannot start: fix these environment variables',
  ) {
    super(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page' })
    .trim()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(
        /^xapp-/,
        'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)',
      )
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional(),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, or unset to use the embedded database')
      .optional(),
  ),
  DATA_DIR: optionalText.default('./.data'),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number such as 3000')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be between 0 and 65535'))
      .optional(),
  ),
  FRONTLINE_ADMINS: optionalText.transform((value, ctx) => {
    const ids = (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !SLACK_USER_ID.test(id));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be Slack user IDs like U012AB3CD, separated by commas (not: ${bad.join(', ')})`,
      });
    }
    return ids;
  }),
  FRONTLINE_TIMEZONE: optionalText
    .default('UTC')
    .refine((zone) => isTimeZone(zone!), 'must be an IANA time zone such as Europe/Paris or America/New_York'),
  FRONTLINE_CONFIG: optionalText,
  FRONTLINE_WEBHOOK_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters long').optional()),
  FRONTLINE_API_TOKEN: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters long (the bearer token of the REST API)').optional(),
  ),
  FRONTLINE_WEBHOOKS_ALLOW_PRIVATE: optionalText.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((v) => v === 'true'),
  ),
  FRONTLINE_WEBHOOKS_TIMEOUT_SECONDS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds such as 10')
      .transform(Number)
      .pipe(z.number().positive('must be more than 0').max(30, 'must be 30 seconds or less'))
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
  NODE_ENV: optionalText,
});

export type Config = {
  slack: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string; socketMode: boolean };
  databaseUrl?: string;
  dataDir: string;
  port: number;
  admins: string[];
  timezone: string;
  configFile?: string;
  webhookToken?: string;
  /** The bearer token of the REST API (/api/escalations, /api/help-requests); without it the API is off. */
  apiToken?: string;
  /**
   * Lets outgoing webhooks reach http:// URLs and this host's network: for development and tests only.
   * Off, a Slack admin cannot aim Frontline at internal services (or have customer data sent in clear).
   */
  webhooksAllowPrivate: boolean;
  /** How long a webhook receiver may take to answer (10 s). */
  webhooksTimeoutMs: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Pretty logs for a person at a terminal, JSON lines otherwise. */
  prettyLogs: boolean;
};

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { isTTY = false } = {}): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  // Checked outside the schema so it is reported together with every other problem.
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode: the Signing Secret from Basic Information (or set SLACK_APP_TOKEN to use Socket Mode)',
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      socketMode: Boolean(e.SLACK_APP_TOKEN),
    },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR ?? './.data',
    port: e.PORT ?? 3000,
    admins: e.FRONTLINE_ADMINS,
    timezone: e.FRONTLINE_TIMEZONE ?? 'UTC',
    configFile: e.FRONTLINE_CONFIG,
    webhookToken: e.FRONTLINE_WEBHOOK_TOKEN,
    apiToken: e.FRONTLINE_API_TOKEN,
    webhooksAllowPrivate: e.FRONTLINE_WEBHOOKS_ALLOW_PRIVATE ?? false,
    webhooksTimeoutMs: (e.FRONTLINE_WEBHOOKS_TIMEOUT_SECONDS ?? 10) * 1000,
    logLevel: e.LOG_LEVEL,
    prettyLogs: isTTY && e.NODE_ENV !== 'production',
  };
}

/** Just the database part of the environment, for `npm run db:migrate`. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'databaseUrl' | 'dataDir'> {
  const parsed = envSchema.pick({ DATABASE_URL: true, DATA_DIR: true }).safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  return { databaseUrl: parsed.data.DATABASE_URL, dataDir: parsed.data.DATA_DIR ?? './.data' };
}

/** The configured credentials, which the logger masks wherever they appear. */
export function configSecrets(config: Config): string[] {
  const { botToken, signingSecret, appToken } = config.slack;
  const databasePassword = config.databaseUrl ? decodeURIComponent(URL.parse(config.databaseUrl)?.password ?? '') : '';
  return [botToken, signingSecret, appToken, config.webhookToken, config.apiToken, databasePassword].filter(
    (s): s is string => Boolean(s),
  );
}
