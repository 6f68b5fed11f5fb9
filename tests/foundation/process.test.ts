// `npm start` as an operator runs it: JSON logs without secrets, a health check, and a clean exit
// on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { signRequest } from '../support/slack-driver.ts';
import { createEmptyTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/test-database.ts';

let fake: FakeSlack;
let dataDir: string;
let testDb: TestDatabase | undefined;
let app: AppProcess | undefined;

beforeAll(async () => {
  fake = await startFakeSlack();
  dataDir = mkdtempSync(join(tmpdir(), 'frontline-process-'));
  // Empty, as a new install's DATABASE_URL is: the process migrates it at start.
  if (TEST_DATABASE_URL) testDb = await createEmptyTestDatabase();
});
afterAll(async () => {
  await app?.stop(); // a failed test must not leave the process running
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
  await testDb?.drop();
});

describe('the app process', () => {
  it('serves Slack, logs JSON lines without the token, and exits 0 on SIGTERM', async () => {
    app = await startAppProcess({
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
      SLACK_SIGNING_SECRET: 'process-secret',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
    });
    const port = app.port;

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const body = new URLSearchParams({
      command: '/frontline',
      text: 'help',
      user_id: 'U0OP',
      channel_id: 'C0OPS',
      response_url: fake.responseUrl(),
      trigger_id: '1.2.3',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const command = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signRequest('process-secret', timestamp, body),
      },
      body,
    });
    expect(command.status).toBe(200);
    await fake.waitForResponse((r) => String(r.body.text).includes('Frontline commands'));

    expect(await app.stop()).toBe(0);
    const out = app.output();
    const lines = out.trim().split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(
      expect.arrayContaining(['Frontline is running', 'shutting down', 'stopped']),
    );
    expect(out).not.toContain('xoxb-secret-bot-token');
    expect(out).not.toContain('process-secret');
  }, 60_000);
});
