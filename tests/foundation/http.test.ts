// The app as Slack and a load balancer see it: signed requests only, a health check, /frontline
// settings, and App Home (help is in help.test.ts).
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { requestKeys } from '../../src/slack/request-keys.table.ts';
import { createRequestKeys } from '../../src/slack/request-keys.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();

/** POSTs on a connection of its own: the server answers 413 before reading the body, then closes it. */
function postWithoutKeepAlive(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function frontline(text: string, user = ADMIN): Promise<{ text: string; blocks?: unknown[] }> {
  const url = t.fake.responseUrl();
  expect((await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url })).status).toBe(200);
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body;
}

describe('request signatures', () => {
  const add = { command: '/frontline', text: 'dept add billing C0BILLING Billing', user_id: ADMIN };

  it.each([
    ['a forged signature', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('answers 401 to %s and changes nothing', async (_what, options) => {
    const before = await t.deps.db.$count(requestKeys);
    const res = await t.driver.command(add, options);
    expect(res.status).toBe(401);
    expect(await t.deps.db.$count(requestKeys)).toBe(before);
    expect(await createDepartmentsRepository(t.deps).get('billing')).toBeUndefined();
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('answers 401 when the signature headers are missing', async () => {
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ command: '/frontline', text: 'help', user_id: ADMIN }).toString(),
    });
    expect(res.status).toBe(401);
  });

  it("answers Slack's unsigned ssl_check with 200, and runs nothing smuggled beside it", async () => {
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ssl_check: '1', token: 'x', ...add, response_url: t.fake.responseUrl() }).toString(),
    });
    expect(res.status).toBe(200);
    await sleep(200);
    expect(await createDepartmentsRepository(t.deps).get('billing')).toBeUndefined();
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('accepts the same request correctly signed', async () => {
    expect((await t.driver.command(add)).status).toBe(200);
    await t.fake.waitForResponse((r) => String(r.body.text).includes('Added *Billing*'));
  });
});

describe('abuse', () => {
  it('refuses a replayed signed request, while a Slack retry (signed afresh) is accepted', async () => {
    const body = new URLSearchParams({
      command: '/frontline',
      text: 'dept add shop C0SHOP Shop',
      user_id: ADMIN,
      response_url: t.fake.responseUrl(),
      trigger_id: '1.2.3',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const send = () => t.driver.raw({ body, contentType: 'application/x-www-form-urlencoded', timestamp });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(401);
    expect(
      (
        await t.driver.raw({
          body,
          contentType: 'application/x-www-form-urlencoded',
          timestamp: timestamp - 1,
          retryNum: 1,
        })
      ).status,
    ).toBe(200);
    await t.fake.waitForResponse((r) => String(r.body.text).includes('Updated *Shop*'));
    expect(t.fake.responses.filter((r) => String(r.body.text).includes('*Shop*'))).toHaveLength(2);
  });

  it('refuses an oversized body with 413 and an unexpected content type with 400', async () => {
    expect(await postWithoutKeepAlive(`${t.baseUrl}/slack/events`, `payload=${'x'.repeat(5 * 1024 * 1024)}`)).toBe(413);
    const xml = await t.driver.raw({ body: '<command>/frontline</command>', contentType: 'application/xml' });
    expect(xml.status).toBeGreaterThanOrEqual(400);
    expect(xml.status).toBeLessThan(500);
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test').map((c) => [c.method, c.args])).toEqual([]);
  });
});

describe('the replay guard', () => {
  const add = (key: string) => ({
    command: '/frontline',
    text: `dept add ${key} C0${key.toUpperCase()} ${key}`,
    user_id: ADMIN,
  });
  const now = () => Math.floor(Date.now() / 1000);
  const nothingDone = async (key: string) => {
    expect(await createDepartmentsRepository(t.deps).get(key)).toBeUndefined();
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  };

  it.each([
    ['an hour ahead', 3600],
    ['six minutes ahead', 6 * 60],
  ])('refuses (401) a correctly signed request timestamped %s, and does nothing', async (_what, ahead) => {
    const before = await t.deps.db.$count(requestKeys);
    expect((await t.driver.command(add('ahead'), { timestamp: now() + ahead })).status).toBe(401);
    expect(await t.deps.db.$count(requestKeys)).toBe(before);
    await nothingDone('ahead');
  });

  it('accepts a clock a few minutes fast, and refuses a copy for as long as its timestamp would pass', async () => {
    const request = {
      body: new URLSearchParams({ ...add('fast'), response_url: t.fake.responseUrl(), trigger_id: '1.2.3' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
      timestamp: now() + 4 * 60,
    };
    expect((await t.driver.raw(request)).status).toBe(200);
    await t.fake.waitForResponse((r) => String(r.body.text).includes('Added *fast*'));
    // Seven minutes on by the app's clock the signature still passes (its timestamp is then 3 minutes old).
    t.clock.advanceMinutes(7);
    expect((await t.driver.raw(request)).status).toBe(401);
  });

  it('checks many fingerprints in one statement: a repeat inside the batch, one seen within its window, one whose window passed', async () => {
    const keys = createRequestKeys({ db: t.deps.db, clock: t.clock });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => ['batch', k, Date.now()]);
    expect(await keys.firstSeenMany([a!, b!], 60_000)).toEqual([true, true]);
    t.clock.advanceMinutes(2);
    expect(await keys.firstSeenMany([c!, c!, a!, b!], 3 * 60_000)).toEqual([true, false, false, false]);
    // Seen two minutes ago: past a one-minute window, so new again (and kept from now on).
    expect(await keys.firstSeenMany([a!, b!], 60_000)).toEqual([true, true]);
    expect(await keys.firstSeenMany([a!], 60_000)).toEqual([false]);
  });

  it('answers 503 and does nothing when the database cannot say whether a request is new', async () => {
    await t.deps.db.execute(sql`alter table request_keys rename to request_keys_away`);
    try {
      const res = await t.driver.command(add('nodb'));
      expect(res.status).toBe(503);
    } finally {
      await t.deps.db.execute(sql`alter table request_keys_away rename to request_keys`);
    }
    await sleep(100);
    await nothingDone('nodb');
  });

  it('answers 503 within Slack’s 3 s and does nothing when the database does not answer in time', async () => {
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.deps.db.transaction(async (tx) => {
      await tx.execute(sql`lock table request_keys in access exclusive mode`);
      locked();
      await sleep(3000);
    });
    await lockTaken;
    const started = Date.now();
    const res = await t.driver.command(add('slowdb'));
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2500);
    await holder;
    await sleep(100);
    await nothingDone('slowdb');
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the database status', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: { kind: 'postgres', status: 'up' }, mode: 'http' });
  });
});

describe('/frontline set', () => {
  it('sets a channel and the time zone, and shows them back', async () => {
    expect((await frontline('set help-channel <#C0HELP|help>')).text).toContain('`help-channel` is now <#C0HELP>');
    expect((await frontline('set timezone Europe/Paris')).text).toContain('`timezone` is now Europe/Paris');
    expect(await t.deps.workspace.helpChannel.get()).toBe('C0HELP');
    expect(await t.deps.timezone()).toBe('Europe/Paris');
    const all = await frontline('set', 'UANYONE1');
    expect(all.text).toContain('`help-channel` = <#C0HELP>');
    expect(all.text).toContain('`digest-channel` = _not set_');
  });

  it.each([
    ['set timezone Mars/Olympus', 'That is not an IANA time zone'],
    ['set help-channel help', 'Pick a channel by typing #'],
    ['set colour blue', 'There is no setting `colour`'],
    ['set support-channel', 'Give a value for `support-channel`'],
  ])('answers `/frontline %s` with the problem and the usage', async (text, problem) => {
    const before = await t.deps.workspace.timezone.get();
    const reply = await frontline(text);
    expect(reply.text).toContain(problem);
    expect(reply.text).toContain('Usage: `/frontline set');
    expect(await t.deps.workspace.timezone.get()).toBe(before);
  });

  it('refuses non-admins', async () => {
    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    expect((await frontline('set digest-channel C0LEAD', 'U0PLAIN')).text).toContain('Only Frontline admins');
    expect(await t.deps.workspace.digestChannel.get()).toBeUndefined();
  });
});

describe('App Home', () => {
  it('publishes Home when opened, with the department directory and Add button for admins only', async () => {
    await t.driver.event({ type: 'app_home_opened', user: ADMIN, channel: 'D0HOME', tab: 'home' });
    const admin = await t.fake.waitForCall('views.publish', (c) => c.args.user_id === ADMIN);
    const adminView = JSON.stringify(admin.args.view);
    expect(adminView).toContain('"text":"Departments"');
    expect(adminView).toContain('departments_open_add');

    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    await t.driver.event({ type: 'app_home_opened', user: 'U0PLAIN', channel: 'D0HOME2', tab: 'home' });
    const plain = await t.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0PLAIN');
    expect(JSON.stringify(plain.args.view)).not.toContain('departments_open_add');
  });

  it('acts once on an event Slack delivers again', async () => {
    await t.driver.event(
      { type: 'app_home_opened', user: ADMIN, channel: 'D0HOME', tab: 'home' },
      { event_id: 'Ev0ONCE' },
    );
    await t.fake.waitForCall('views.publish');
    const again = await t.driver.event(
      { type: 'app_home_opened', user: ADMIN, channel: 'D0HOME', tab: 'home' },
      { event_id: 'Ev0ONCE', retryNum: 1 },
    );
    expect(again.status).toBe(200);
    await t.driver.event({ type: 'app_home_opened', user: 'U0OTHER', channel: 'D0HOME3', tab: 'home' });
    await t.fake.waitForCall('views.publish', (c) => c.args.user_id === 'U0OTHER');
    expect(t.fake.callsTo('views.publish').map((c) => c.args.user_id)).toEqual([ADMIN, 'U0OTHER']);
  });

  it('ignores the Messages tab', async () => {
    const res = await t.driver.event({ type: 'app_home_opened', user: ADMIN, channel: 'D0HOME', tab: 'messages' });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.fake.callsTo('views.publish')).toEqual([]);
  });

  it('opens the Add department modal from the Home button for admins, and refuses others', async () => {
    await t.driver.blockAction({ action_id: 'departments_open_add', user_id: ADMIN, view: { type: 'home' } });
    const opened = await t.fake.waitForCall('views.open');
    expect(opened.args.view).toMatchObject({ type: 'modal', callback_id: 'departments_add' });

    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    await t.driver.blockAction({ action_id: 'departments_open_add', user_id: 'U0PLAIN', view: { type: 'home' } });
    const refusal = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0PLAIN');
    expect(refusal.args.text).toContain('Only Frontline admins');
    expect(t.fake.callsTo('views.open')).toHaveLength(1);
  });
});
