// Hostile requests against a real app process: nothing crashes it, nothing makes it read more than a
// route's cap before checking who is asking, and nothing it logs gives a secret away.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { postFeedback } from '../support/webhook.ts';

const WEBHOOK_TOKEN = 'edge-webhook-token-0123456789';
const BOGUS_SIGNATURE = { 'x-slack-signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000' };

let fake: FakeSlack;
let dataDir: string;
let testDb: TestDatabase | undefined;
let app: AppProcess;

beforeAll(async () => {
  fake = await startFakeSlack();
  dataDir = mkdtempSync(join(tmpdir(), 'frontline-edge-'));
  testDb = await createTestDatabase();
  app = await startAppProcess({
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: 'xoxb-edge-secret-bot-token',
    SLACK_SIGNING_SECRET: 'edge-signing-secret',
    FRONTLINE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
  });
});
afterAll(async () => {
  await app?.stop();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
  await testDb?.drop();
});

/** The most memory the process has held so far (Linux's VmHWM), in bytes. */
const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${app.pid}/status`, 'utf8'))?.[1]) * 1024;

/**
 * Streams `megabytes` of body (chunked, no length declared) to `path` and resolves with the status
 * as soon as the app answers, without sending the rest. Keep-alive, as Slack and proxies connect:
 * a client saying `Connection: close` gets its connection closed under it once answered.
 */
function streamBody(path: string, megabytes: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let answered = false;
    const agent = new Agent({ keepAlive: true });
    const req = request(
      `${app.baseUrl}${path}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
        agent.destroy();
      },
    );
    req.on('error', (error) => answered || reject(error));
    const write = (left: number) => {
      while (left > 0 && !answered) {
        left -= 1;
        if (!req.write(chunk)) return void req.once('drain', () => write(left));
      }
      if (!answered) req.end();
    };
    write(megabytes);
  });
}

describe('requests the app does not route', () => {
  it('answers POSTs carrying a Slack signature header to other paths with 404, and keeps running', async () => {
    for (let i = 0; i < 3; i++) {
      for (const path of ['/healthz', '/x']) {
        const res = await fetch(`${app.baseUrl}${path}`, {
          method: 'POST',
          headers: { ...BOGUS_SIGNATURE, authorization: `Bearer ${WEBHOOK_TOKEN}` },
          body: '{}',
        });
        expect(res.status, path).toBe(404);
      }
    }
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    expect(app.output()).not.toContain(WEBHOOK_TOKEN);
  });
});

describe('body limits', () => {
  it('refuses a huge Slack body with 413 after reading at most its 4 MB cap', async () => {
    const before = peakRss();
    expect(
      await streamBody('/slack/events', 150, {
        ...BOGUS_SIGNATURE,
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      }),
    ).toBe(413);
    expect(await streamBody('/slack/events', 150, {})).toBe(413);
    expect(peakRss() - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('refuses a body declared over the cap at once, without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${app.baseUrl}/slack/events`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(300 * 1024 * 1024),
            ...BOGUS_SIGNATURE,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
  });

  it('leaves the feedback webhook to its own token check and 64 KB cap, whatever headers it carries', async () => {
    const before = peakRss();
    expect(await streamBody('/api/feedback', 150, BOGUS_SIGNATURE)).toBe(401);
    expect(
      await streamBody('/api/feedback', 150, { ...BOGUS_SIGNATURE, authorization: `Bearer ${WEBHOOK_TOKEN}` }),
    ).toBe(413);
    expect(peakRss() - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('serves a genuine webhook call that happens to carry a Slack signature header', async () => {
    const res = await fetch(`${app.baseUrl}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}`, ...BOGUS_SIGNATURE },
      body: JSON.stringify({ text: 'Forwarded by a proxy that signs everything' }),
    });
    expect(res.status).toBe(201);
    // The same call without the header, for comparison.
    expect((await postFeedback(app.baseUrl, { text: 'Plain call' }, { token: WEBHOOK_TOKEN })).status).toBe(201);
  });
});
