// `npm start` as an operator runs it: JSON logs without secrets, a health check, and a clean exit
// on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { signRequest } from '../support/slack-driver.ts';
import { TEST_DATABASE_URL } from '../support/test-database.ts';

let fake: FakeSlack;
let dataDir: string;
let testDb: TestDatabase | undefined;

beforeAll(async () => {
  fake = await startFakeSlack();
  dataDir = mkdtempSync(join(tmpdir(), 'frontline-process-'));
  if (TEST_DATABASE_URL) testDb = await createTestDatabase();
});
afterAll(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
  await testDb?.drop();
});

describe('the app process', () => {
  it('serves Slack, logs JSON lines without the token, and exits 0 on SIGTERM', async () => {
    // What `npm start` runs, without npm in between (npm itself dies of the signal instead of relaying the exit code).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
        SLACK_SIGNING_SECRET: 'process-secret',
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
        ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 20_000;
    let port = 0;
    while (!port && Date.now() < deadline) {
      port = Number(/"port":(\d+),"database"/.exec(out)?.[1] ?? 0);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(port, out).toBeGreaterThan(0);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const body = new URLSearchParams({ command: '/frontline', text: 'help', user_id: 'U0OP', channel_id: 'C0OPS', response_url: fake.responseUrl(), trigger_id: '1.2.3' }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const command = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signRequest('process-secret', timestamp, body) },
      body,
    });
    expect(command.status).toBe(200);
    await fake.waitForResponse((r) => String(r.body.text).includes('Frontline commands'));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out.trim().split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(expect.arrayContaining(['Frontline is running', 'shutting down', 'stopped']));
    expect(out).not.toContain('xoxb-secret-bot-token');
    expect(out).not.toContain('process-secret');
  }, 60_000);
});
