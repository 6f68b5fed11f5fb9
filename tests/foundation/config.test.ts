import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      dataDir: './.data',
      port: 3000,
      timezone: 'UTC',
      logLevel: 'info',
      admins: [],
      databaseUrl: undefined,
    });
    expect(config.slack.socketMode).toBe(false);
  });

  it('runs in Socket Mode when an app token is set, without a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-2' });
    expect(config.slack.socketMode).toBe(true);
  });

  it('takes an API bearer token of 16 characters or more, and refuses a shorter one', () => {
    expect(loadConfig({ ...base, FRONTLINE_API_TOKEN: 'a'.repeat(16) }).apiToken).toBe('a'.repeat(16));
    expect(problems({ ...base, FRONTLINE_API_TOKEN: 'a'.repeat(15) })).toEqual([
      expect.stringMatching(/^FRONTLINE_API_TOKEN .*at least 16 characters/),
    ]);
  });

  it('names every bad variable at once', () => {
    const found = problems({
      SLACK_BOT_TOKEN: 'not-a-token',
      PORT: 'eighty',
      FRONTLINE_ADMINS: 'U123ABC,alice',
      FRONTLINE_TIMEZONE: 'Mars/Olympus',
      SLACK_API_URL: 'slack',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
    });
    const names = found.map((p) => p.split(' ')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'PORT',
        'FRONTLINE_ADMINS',
        'FRONTLINE_TIMEZONE',
        'SLACK_API_URL',
        'DATABASE_URL',
        'LOG_LEVEL',
      ]),
    );
    expect(found.find((p) => p.startsWith('FRONTLINE_ADMINS'))).toContain('alice');
  });

  it('parses admins and normalises the API URL', () => {
    const config = loadConfig({
      ...base,
      FRONTLINE_ADMINS: ' U111AAA , W222BBB ',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(config.admins).toEqual(['U111AAA', 'W222BBB']);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('npm start with a bad environment prints one clear message and exits 1 without a stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'oops', PORT: '99999' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Frontline cannot start');
    expect(result.stderr).toContain('SLACK_BOT_TOKEN');
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET');
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain('oops');
  });
});
