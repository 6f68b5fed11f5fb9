// Socket Mode (the manifest's default) runs the same listeners as HTTP mode, and still serves /healthz.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.ts';
import { buildBlockAction, buildEventCallback, buildSlashCommand } from '../support/payloads.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

let fake: FakeSlack;
let socket: FakeSocketMode;
let app: TestApp;
let port: number;

/** A port nobody listens on: Socket Mode serves /healthz on PORT, so it cannot be 0 here. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: found } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return found;
}

beforeAll(async () => {
  fake = await startFakeSlack();
  socket = await startFakeSocketMode(fake);
  port = await freePort();
  app = await startTestApp({
    fake,
    env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '', PORT: String(port) },
  });
  await socket.connected;
});
afterAll(async () => {
  await app.stop();
  await socket.close();
  await fake.close();
});

describe('Socket Mode', () => {
  it('connects through apps.connections.open on SLACK_API_URL', () => {
    expect(app.deps.config.slack.socketMode).toBe(true);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('acks a slash command and answers it with the same listener as HTTP mode', async () => {
    const ack = await socket.send(
      'slash_commands',
      buildSlashCommand({
        command: '/frontline',
        text: 'dept add billing <#C0BILLING|billing> Billing',
        user_id: ADMIN,
        response_url: fake.responseUrl(),
      }),
    );
    expect(ack.envelope_id).toBeTruthy();
    const reply = await fake.waitForResponse((r) => String(r.body.text).includes('Added *Billing*'));
    expect(reply.body.response_type).toBe('ephemeral');
  });

  it('handles interactivity and events', async () => {
    await socket.send(
      'interactive',
      buildBlockAction({ action_id: 'departments_open_add', user_id: ADMIN, view: { type: 'home' } }),
    );
    expect((await fake.waitForCall('views.open')).args.view).toMatchObject({ callback_id: 'departments_add' });
    await socket.send(
      'events_api',
      buildEventCallback({ type: 'app_home_opened', user: ADMIN, channel: 'D0HOME', tab: 'home' }),
    );
    expect(
      JSON.stringify((await fake.waitForCall('views.publish', (c) => c.args.user_id === ADMIN)).args.view),
    ).toContain('Billing');
  });

  it('still serves /healthz on PORT', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', mode: 'socket' });
  });

  it('no Slack call broke the rules', () => {
    expect(fake.violations).toEqual([]);
  });
});
