// `npm start` when something outside the app is wrong: one line naming the cause and the fix, exit 1
// within seconds; and SIGTERM obeyed while start-up is still waiting on Slack.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedApp, spawnAppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { signRequest } from '../support/slack-driver.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let fake: FakeSlack;
let dataDir: string;
let testDb: TestDatabase | undefined;
let app: SpawnedApp | undefined;
let blocker: Server | undefined;
const held = new Set<Socket>();

beforeAll(async () => {
  fake = await startFakeSlack();
  dataDir = mkdtempSync(join(tmpdir(), 'frontline-startup-'));
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  fake.reset();
  for (const socket of held) socket.destroy();
  held.clear();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
});
afterAll(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
  await testDb?.drop();
});

const env = (extra: Record<string, string> = {}) => ({
  SLACK_BOT_TOKEN: 'xoxb-startup-secret-token',
  SLACK_SIGNING_SECRET: 'startup-signing-secret',
  SLACK_API_URL: fake.apiUrl,
  PORT: '0',
  DATA_DIR: dataDir,
  ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
  ...extra,
});
const SOCKET_MODE = { SLACK_APP_TOKEN: 'xapp-1-startup-secret', SLACK_SIGNING_SECRET: '' };

/** A TCP server holding a port, or taking connections and never answering (`onConnection` sees each). */
async function listen(onConnection: (socket: Socket) => void = () => {}): Promise<number> {
  blocker = createServer((socket) => {
    held.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

/** Waits for the process to exit and checks it said one line, naming `cause`, without a stack or a secret. */
async function expectOneLineFailure(process: SpawnedApp, cause: RegExp): Promise<{ at: number }> {
  const { code, at } = await process.exited;
  const stderr = process.stderr().trim();
  expect(code, process.output()).toBe(1);
  expect(stderr.split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^Frontline cannot start: /);
  expect(stderr).toMatch(cause);
  expect(process.output()).not.toMatch(/\n\s+at /);
  expect(process.output()).not.toContain('secret');
  return { at };
}

describe('start-up failures', () => {
  it.each([
    ['HTTP mode', {}],
    ['Socket Mode', SOCKET_MODE],
  ])(
    'in %s, a port in use: names the port and says to set PORT',
    async (_mode, mode) => {
      const port = await listen();
      app = spawnAppProcess(env({ ...mode, PORT: String(port) }));
      await expectOneLineFailure(app, new RegExp(`port ${port} is already in use\\. Set PORT`));
    },
    60_000,
  );

  it('Slack rejecting the bot token: names SLACK_BOT_TOKEN and where to copy it from', async () => {
    fake.override('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    app = spawnAppProcess(env());
    await expectOneLineFailure(app, /Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)\. Copy the Bot User OAuth Token/);
  }, 60_000);

  it('Slack not answering: gives up within 5 s, naming the URL and what to check', async () => {
    let firstContact = 0;
    const port = await listen(() => (firstContact ||= Date.now()));
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    app = spawnAppProcess(env({ SLACK_API_URL: apiUrl }));
    const { at } = await expectOneLineFailure(app, new RegExp(`cannot reach Slack at ${apiUrl} .*SLACK_API_URL`));
    expect(firstContact).toBeGreaterThan(0);
    expect(at - firstContact).toBeLessThan(5_000);
  }, 60_000);

  it('in Socket Mode, no WebSocket connection: gives up within 5 s, naming SLACK_APP_TOKEN and the network', async () => {
    const dead = await listen((socket) => socket.destroy());
    fake.override('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${dead}/link` }));
    app = spawnAppProcess(env(SOCKET_MODE));
    const { at } = await expectOneLineFailure(
      app,
      /Slack did not open a Socket Mode connection within \d+ s\. .*SLACK_APP_TOKEN/,
    );
    const firstAsked = fake.callsTo('apps.connections.open')[0]!.at;
    expect(at - firstAsked).toBeLessThan(5_000);
  }, 60_000);

  it('in Socket Mode, Slack rejecting the app token: names SLACK_APP_TOKEN', async () => {
    fake.override('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    app = spawnAppProcess(env(SOCKET_MODE));
    await expectOneLineFailure(app, /SLACK_APP_TOKEN/);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('exits within 10 s even while a request is stuck on a Slack call', async () => {
    const running = await startAppProcess(env());
    app = running;
    // A workspace owner (not in FRONTLINE_ADMINS): the handler asks Slack, which does not answer.
    fake.setUser({ id: 'U0OWNER', is_owner: true });
    fake.failNext('users.info', { delayMs: 60_000 });
    const body = new URLSearchParams({
      command: '/frontline',
      text: 'dept add legal C0LEGAL Legal',
      user_id: 'U0OWNER',
      channel_id: 'C0OPS',
      response_url: fake.responseUrl(),
      trigger_id: '1.2.3',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`${running.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signRequest('startup-signing-secret', timestamp, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    await fake.waitForCall('users.info', (c) => c.args.user === 'U0OWNER');
    const sent = Date.now();
    await running.stop();
    expect(Date.now() - sent).toBeLessThan(10_000);
  }, 60_000);

  it('exits at once while start-up is still waiting for Slack', async () => {
    let contacted!: () => void;
    const contact = new Promise<void>((resolve) => (contacted = resolve));
    const port = await listen(() => contacted());
    app = spawnAppProcess(env({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` }));
    await contact;
    const sent = Date.now();
    const code = await app.stop();
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(code).toBe(0);
  }, 60_000);

  it('exits at once while start-up is still retrying the Socket Mode connection', async () => {
    const dead = await listen((socket) => socket.destroy());
    fake.override('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${dead}/link` }));
    app = spawnAppProcess(env(SOCKET_MODE));
    await fake.waitForCall('apps.connections.open', undefined, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the WebSocket has failed: the client waits to retry
    const sent = Date.now();
    await app.stop();
    expect(Date.now() - sent).toBeLessThan(2_000);
  }, 60_000);
});
