// Starts the real app over HTTP against a fake Slack and an isolated database, the way every
// end-to-end test uses it: `const t = useTestApp();` then `t.driver.command(...)`.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createFrontline, type Frontline } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { createSlackDriver, type SlackDriver } from './slack-driver.ts';
import { createTestClock, type TestClock } from './test-clock.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const ADMIN = 'UADMIN01';

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: TestClock;
  /** Gives up on a Slack call after this long (the app's 15 s otherwise): for timeout tests. */
  slackTimeoutMs?: number;
  /** How many times faster than Slack's tiers fan-out may go (100 unless a test of pacing sets it). */
  pacingSpeed?: number;
}

export interface TestApp {
  frontline: Frontline;
  deps: Deps;
  fake: FakeSlack;
  driver: SlackDriver;
  clock: TestClock;
  database: TestDatabase;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Builds the app's environment for tests: fake Slack, silent logs, one admin. */
export function testEnv(fake: FakeSlack, database: TestDatabase, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    FRONTLINE_ADMINS: ADMIN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    ...env,
  };
}

/** The bot scopes manifest.json grants: the fake refuses any call that needs another (missing_scope). */
export const MANIFEST_SCOPES: ReadonlySet<string> = new Set(
  (
    JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
    }
  ).oauth_config.scopes.bot,
);

/** Starts one app (with its own fake Slack and database unless given). */
export async function startTestApp(
  options: TestAppOptions & { fake?: FakeSlack; database?: TestDatabase } = {},
): Promise<TestApp> {
  const fake = options.fake ?? (await startFakeSlack());
  fake.scopes ??= new Set(MANIFEST_SCOPES);
  const database = options.database ?? (await createTestDatabase());
  const clock = options.clock ?? createTestClock();
  const config = loadConfig(testEnv(fake, database, options.env));
  let frontline: Frontline;
  let port: number;
  try {
    frontline = await createFrontline({
      config,
      clock,
      logger: createLogger({ level: config.logLevel, pretty: false }),
      slackRetry: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
      // Slack's tiers, much faster: tests send in moments what a workspace sends in minutes.
      slackPacing: { speed: options.pacingSpeed ?? 100 },
      ...(options.slackTimeoutMs ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
      schedules: false,
    });
    port = await frontline.start();
  } catch (error) {
    // A start that fails (tests of bad configuration) must not leave its database or fake Slack behind.
    if (!options.database) await database.drop();
    if (!options.fake) await fake.close();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    frontline,
    deps: frontline.deps,
    fake,
    driver: createSlackDriver({ baseUrl, signingSecret: SIGNING_SECRET, fake }),
    clock,
    database,
    baseUrl,
    async stop() {
      await frontline.stop();
      if (!options.database) await database.drop();
      if (!options.fake) await fake.close();
    },
  };
}

/**
 * Registers hooks for a test file: one app for the whole file, the fake reset between tests, and
 * a failure whenever the app sent Slack something its API or Block Kit would reject.
 */
export function useTestApp(options: TestAppOptions = {}): TestApp {
  const handle = {} as TestApp;
  beforeAll(async () => {
    Object.assign(handle, await startTestApp(options));
  });
  afterEach(() => {
    const violations = [...handle.fake.violations];
    handle.fake.reset();
    expect(violations, 'calls Slack would reject').toEqual([]);
  });
  afterAll(async () => {
    await handle.stop?.();
  });
  return handle;
}
