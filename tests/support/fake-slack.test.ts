// Self-tests of the Slack harness: the fake rejects what Slack would reject, answers a real
// WebClient like Slack, and the driver's signed requests are accepted by a real Bolt app.
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { buildEventCallback, field, stateValues } from './payloads.ts';
import { createSlackDriver } from './slack-driver.ts';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});
afterEach(() => {
  fake.scopes = undefined;
  fake.reset();
});
afterAll(() => fake.close());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The Slack error code a WebClient call failed with. */
async function errorOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? String(error);
  }
}

describe('fake Slack rejects what Slack would reject', () => {
  it('rejects an unknown method', async () => {
    expect(await errorOf(client.apiCall('chat.postMessag', { channel: 'C1', text: 'x' }))).toBe('unknown_method');
    expect(fake.violations).toEqual([expect.stringContaining('chat.postMessag: unknown_method')]);
  });

  it('rejects an unknown argument and a missing required one', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x', colour: 'red' } as never))).toBe(
      'invalid_arguments',
    );
    expect(await errorOf(client.apiCall('chat.postMessage', { text: 'x' }))).toBe('invalid_arguments');
    expect(fake.violations).toEqual([
      expect.stringContaining("unknown argument 'colour'"),
      expect.stringContaining("missing required argument 'channel'"),
    ]);
    expect(fake.lastCall('chat.postMessage')?.rejected).toBe('invalid_arguments');
  });

  it('rejects clearly wrong types but accepts form strings', async () => {
    expect(await errorOf(client.apiCall('conversations.history', { channel: 'C1', limit: 'many' }))).toBe(
      'invalid_arguments',
    );
    await client.apiCall('conversations.history', { channel: 'C1', limit: '10', inclusive: 'true' });
    expect(fake.violations).toHaveLength(1);
    expect(fake.lastCall('conversations.history')?.args).toMatchObject({ limit: 10, inclusive: true });
  });

  it('rejects invalid Block Kit in messages and views', async () => {
    const long = await errorOf(
      client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    const button = { type: 'actions', elements: [{ type: 'button', action_id: 'go' }] };
    const noText = await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [button] as never }));
    const badModal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'A title longer than 24 chars' },
      blocks: [section('hi')],
    };
    const modal = await errorOf(client.views.open({ trigger_id: '1.2.3', view: badModal }));
    expect([long, noText, modal]).toEqual(['invalid_arguments', 'invalid_arguments', 'invalid_arguments']);
    expect(fake.violations[0]).toMatch(/blocks\[0\]\/text\/text must NOT have more than 3000 characters/);
    expect(fake.violations[1]).toMatch(/blocks\[0\]\/elements\/0 must have required property 'text'/);
    expect(fake.violations[2]).toMatch(/view\/title\/text must NOT have more than 24 characters/);
  });

  it('requires a trigger_id for views.open and checks bot scopes when set', async () => {
    expect(
      await errorOf(
        client.views.open({
          view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [section('x')] },
        } as never),
      ),
    ).toBe('invalid_arguments');
    fake.scopes = new Set(['chat:write']);
    expect(await errorOf(client.users.info({ user: 'U1' }))).toBe('missing_scope');
    await client.chat.postMessage({ channel: 'C1', text: 'allowed' });
    expect(fake.violations).toHaveLength(2);
  });
});

describe('fake Slack answers like Slack', () => {
  it('posts, updates, threads and serves history through a real WebClient', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'hello',
      blocks: [section('*hello*')],
      unfurl_links: false,
    });
    expect(posted).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello', bot_id: 'BBOT' } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.lastCall('chat.postMessage')?.args).toMatchObject({
      blocks: [section('*hello*')],
      unfurl_links: false,
    });
    const reply = await client.chat.postMessage({ channel: 'C1', text: 'in thread', thread_ts: posted.ts });
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));
    await client.chat.update({ channel: 'C1', ts: posted.ts as string, text: 'edited' });
    const history = await client.conversations.history({ channel: 'C1' });
    expect(history.messages?.map((m) => m.text)).toEqual(['edited']);
    const replies = await client.conversations.replies({ channel: 'C1', ts: posted.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['edited', 'in thread']);
    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: '1700000000.000100' });
    expect(link.permalink).toBe('https://example.slack.com/archives/C1/p1700000000000100');
    expect(await errorOf(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
  });

  it('serves users, usergroups, DMs and views', async () => {
    fake.setUser({ id: 'UADMIN', is_admin: true, tz: 'Europe/Paris', real_name: 'Ada' });
    fake.setUsergroup('S1', ['UADMIN', 'U2']);
    expect((await client.users.info({ user: 'UADMIN' })).user).toMatchObject({
      is_admin: true,
      tz: 'Europe/Paris',
      real_name: 'Ada',
    });
    expect((await client.users.info({ user: 'UNEW' })).user).toMatchObject({ is_admin: false, tz: 'UTC' });
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['UADMIN', 'U2']);
    expect((await client.conversations.open({ users: 'U2' })).channel).toEqual({ id: 'DU2' });
    const opened = await client.views.open({
      trigger_id: '1.2.3',
      view: { type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'Hi' }, blocks: [section('x')] },
    });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'cb', type: 'modal' });
    await client.views.publish({ user_id: 'U2', view: { type: 'home', blocks: [section('home')] } });
    expect(fake.violations).toEqual([]);
  });

  it('takes JSON bodies and file uploads', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [section('json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C1' });
    const upload = await client.filesUploadV2({
      channel_id: 'C1',
      content: 'a,b\n1,2',
      filename: 'report.csv',
      title: 'Report',
    });
    expect(upload.ok).toBe(true);
    expect([...fake.uploads.values()].map(String)).toEqual(['a,b\n1,2']);
    expect(fake.violations).toEqual([]);
  });

  it('records and checks response_url posts', async () => {
    const url = fake.responseUrl();
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi', response_type: 'ephemeral' }),
    });
    expect((await fake.waitForResponse((r) => r.body.text === 'hi')).id).toBe(url.split('/').at(-1));
    await fetch(fake.responseUrl(), { method: 'POST', body: JSON.stringify({ blocks: [{ type: 'section' }] }) });
    expect(fake.violations).toEqual([expect.stringContaining('invalid_blocks')]);
  });
});

describe('failure injection', () => {
  it('answers 429 with Retry-After, which WebClient waits for and retries', async () => {
    const retrying = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      logLevel: LogLevel.ERROR,
    });
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    expect((await retrying.chat.postMessage({ channel: 'C1', text: 'later' })).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('injects errors, server failures, delays and overrides', async () => {
    fake.failNext('users.info', { error: 'user_not_found' });
    fake.failNext('chat.postMessage', { status: 503 }, 2);
    expect(await errorOf(client.users.info({ user: 'U1' }))).toBe('user_not_found');
    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toMatch(/503/);
    expect(await errorOf(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toMatch(/503/);
    expect((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ok).toBe(true);
    fake.failNext('auth.test', { delayMs: 150 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    fake.override('auth.test', () => ({ ok: true, user_id: 'UOTHER' }));
    expect((await client.auth.test()).user_id).toBe('UOTHER');
    await expect(fake.waitForCall('auth.test', (c) => c.at > started)).resolves.toMatchObject({ method: 'auth.test' });
  });
});

describe('driver against a real Bolt app', () => {
  let app: App;
  let driver: ReturnType<typeof createSlackDriver>;

  beforeAll(async () => {
    app = new App({
      token: 'xoxb-test',
      signingSecret: 'secret',
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/frontline', async ({ ack, respond, command }) => {
      await ack();
      await respond({ text: `you said ${command.text}` });
    });
    app.action('ack_button', async ({ ack, body, client: web }) => {
      await ack();
      const b = body as { channel?: { id: string }; message?: { ts: string } };
      await web.chat.update({ channel: b.channel?.id ?? '', ts: b.message?.ts ?? '', text: 'acknowledged' });
    });
    app.view('escalate', async ({ ack, view }) =>
      ack({ response_action: 'errors', errors: { title: String(view.state.values.title?.title?.value) } }),
    );
    app.event('app_home_opened', async ({ event, client: web }) => {
      await web.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('home')] } });
    });
    const server = (await app.start(0)) as { address(): AddressInfo };
    driver = createSlackDriver({ baseUrl: `http://127.0.0.1:${server.address().port}`, signingSecret: 'secret', fake });
  });
  afterAll(() => app.stop());

  it('sends signed commands, actions, submissions and events', async () => {
    expect((await driver.command({ command: '/frontline', text: 'hi' })).status).toBe(200);
    expect((await fake.waitForResponse()).body).toMatchObject({ text: 'you said hi' });
    await driver.blockAction({ action_id: 'ack_button', channel_id: 'C1', message_ts: '1700000000.000100' });
    expect((await fake.waitForCall('chat.update')).args).toMatchObject({
      channel: 'C1',
      ts: '1700000000.000100',
      text: 'acknowledged',
    });
    const submitted = await driver.viewSubmission({
      callback_id: 'escalate',
      values: stateValues({ title: field.text('Outage') }),
    });
    expect(submitted.body).toEqual({ response_action: 'errors', errors: { title: 'Outage' } });
    expect((await driver.event({ type: 'app_home_opened', user: 'U2', tab: 'home' })).status).toBe(200);
    expect((await fake.waitForCall('views.publish')).args).toMatchObject({ user_id: 'U2' });
    expect(fake.violations).toEqual([]);
  });

  it('is refused with a forged signature or a stale timestamp', async () => {
    expect((await driver.command({ command: '/frontline' }, { signature: 'v0=bad' })).status).toBe(401);
    expect(
      (await driver.command({ command: '/frontline' }, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status,
    ).toBe(401);
    expect(() => buildEventCallback({ type: 'no_such_event' })).toThrow(/no event type/);
  });
});
