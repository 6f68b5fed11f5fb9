// What the logs may never hold, however it gets there: a token, a secret, a database password, the
// values bound to a query (people's text), or a crashed request's headers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-botsecretvalue',
  SLACK_SIGNING_SECRET: 'signing-secret-value-42',
  SLACK_APP_TOKEN: 'xapp-1-A111-appsecretvalue',
  FRONTLINE_WEBHOOK_TOKEN: 'webhook-token-value-0123456789',
  DATABASE_URL: 'postgres://frontline:db-pass%2Fword@db.internal:5432/frontline',
});
const SECRETS = [
  'botsecretvalue',
  'signing-secret-value-42',
  'appsecretvalue',
  'webhook-token-value-0123456789',
  'db-pass',
  'pass/word',
  'pass%2Fword',
];

/** A logger with the app's configuration, writing into an array. */
function collectingLogger() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    pretty: false,
    secrets: configSecrets(config),
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, output: () => lines.join('') };
}

const expectNoSecret = (output: string) => {
  for (const secret of SECRETS) expect(output).not.toContain(secret);
};

describe('log scrubbing', () => {
  it('redacts the whole configuration, however deeply it is nested', () => {
    const { logger, output } = collectingLogger();
    logger.info({ config }, 'config');
    logger.info({ deep: { a: [{ b: { c: { config } } }] } }, 'nested');
    logger.info(
      { request: { headers: { authorization: `Bearer ${config.webhookToken}`, cookie: 'session=abc123def' } } },
      'headers',
    );
    expectNoSecret(output());
    expect(output()).not.toContain('abc123def');
    expect(output()).toContain('[redacted]');
    expect(output()).toContain('"timezone":"UTC"'); // what is not secret stays readable
  });

  it('masks secrets inside messages and error messages, wherever they come from', () => {
    const { logger, output } = collectingLogger();
    const error = new Error(`connect failed for ${config.databaseUrl} with ${config.slack.botToken}`, {
      cause: new Error(`retry with ${config.slack.appToken}`),
    });
    logger.error({ err: error }, 'failed');
    logger.warn(`webhook called with Bearer ${config.webhookToken} and signing secret ${config.slack.signingSecret}`);
    logger.warn('another workspace token xoxp-9999-8888-someoneelse and postgres://u:hunter2hunter@h/db');
    expectNoSecret(output());
    expect(output()).not.toContain('someoneelse');
    expect(output()).not.toContain('hunter2hunter');
    expect(output()).toContain('connect failed for postgres://frontline:[redacted]@db.internal');
  });

  it('logs a failed query without the values bound to it', async () => {
    const { logger, output } = collectingLogger();
    const typed = 'my customer said CONFIDENTIAL-NOTE-7';
    const error = await t.deps.db.execute(sql`select * from no_such_table where note = ${typed}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    logger.error({ err: error }, 'query failed');
    expect(output()).toContain('no_such_table'); // the statement stays, to debug it
    expect(output()).not.toContain('CONFIDENTIAL-NOTE-7');
  });
});

describe('a crash', () => {
  const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const crash = (how: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { createLogger, exitOnCrash } from './src/logger.ts';
         exitOnCrash(createLogger({ level: 'info', pretty: false, secrets: ['webhook-token-value-0123456789'] }));
         const error = Object.assign(new Error('boom'), { request: { headers: { authorization: 'Bearer webhook-token-value-0123456789' } } });
         ${how}`,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );

  it.each([
    ['an uncaught exception', 'setTimeout(() => { throw error; });'],
    ['an unhandled rejection', 'void Promise.reject(error);'],
  ])('on %s, logs one scrubbed line through the logger and exits 1', (_what, how) => {
    const result = crash(how);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 60, msg: 'Frontline crashed', err: { message: 'boom' } });
    expect(result.stdout).not.toContain('webhook-token-value-0123456789');
  });
});
