// POST /api/escalations and GET /api/escalations/:ref as a helpdesk calls them, over real HTTP.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { createEscalationDeps, resolveEscalation } from '../../src/escalations/escalations.usecases.ts';
import { domainEvents } from '../../src/events/events.table.ts';
import { OUTBOX_JOB } from '../../src/slack/housekeeping.ts';
import { AGENT, BILLING, manifestBotScopes, seedDepartments } from '../escalations/helpers.ts';
import { type ApiCallOptions, callApi } from '../support/api.ts';
import { startTestApp, useTestApp } from '../support/test-app.ts';

const TOKEN = 'api-token-0123456789abcdef';
const t = useTestApp({ env: { FRONTLINE_API_TOKEN: TOKEN } });
beforeAll(async () => {
  await seedDepartments(t);
  t.fake.scopes = manifestBotScopes();
  t.fake.setUser({ id: 'U0JANE', email: 'jane.slack@acme.com' });
});
// Each test starts a fresh minute, so the rate limit counts only its own calls.
beforeEach(() => void t.clock.advanceMinutes(1));

const raise = (body: unknown, options: Partial<ApiCallOptions> = {}) =>
  callApi(t.baseUrl, 'POST', '/api/escalations', { token: TOKEN, ...options, body });
const show = (ref: string, options: Partial<ApiCallOptions> = {}) =>
  callApi(t.baseUrl, 'GET', `/api/escalations/${ref}`, { token: TOKEN, ...options });
const stored = (id: string) => createEscalationsRepository(t.deps).get(id);
const count = async () => (await t.deps.db.select({ id: escalations.id }).from(escalations)).length;

const valid = {
  department: 'billing',
  priority: 'high',
  summary: 'Refund stuck for ACME',
  customer: 'ACME Corp',
  link: 'https://acme.zendesk.com/agent/tickets/4242',
  requester: { slack_id: AGENT },
};

describe('POST /api/escalations', () => {
  it('raises it through the same use case as Slack: 201 with id, ref and the card’s link', async () => {
    const res = await raise({ ...valid, details: 'Tried twice', fields: { plan: 'Enterprise', seats: 120 } });
    expect(res.status).toBe(201);
    const { id, ref, url } = res.body as { id: string; ref: string; url: string };
    const e = await stored(id);
    expect(e).toMatchObject({
      departmentKey: 'billing',
      priority: 'high',
      requesterId: AGENT,
      raisedVia: 'api',
      fields: { plan: 'Enterprise', seats: 120 },
      channelId: BILLING.channelId,
    });
    expect(ref).toBe(`ESC-${e!.number}`);
    expect(url).toBe(e!.messageUrl);
    expect(url).toMatch(/^https:\/\/example\.slack\.com\/archives\/C0BILLING\/p\d+$/);
    const card = t.fake.getMessage(BILLING.channelId, e!.messageTs!);
    const shown = JSON.stringify(card?.blocks);
    expect(shown).toContain(`<@${AGENT}> via API`);
    expect(shown).toContain(ref);
    expect(shown).toContain('plan: Enterprise');
    // The domain event the rest of the app (webhooks) reacts to, written with the change.
    const events = await t.deps.db
      .select()
      .from(domainEvents)
      .where(sql`${domainEvents.payload}->>'escalationId' = ${id}`);
    expect(events.map((e) => e.type)).toEqual(['escalation.raised']);
  });

  it('finds a requester by email with users.lookupByEmail', async () => {
    const res = await raise({ ...valid, summary: 'By a Slack email', requester: { email: 'jane.slack@acme.com' } });
    expect(res.status).toBe(201);
    expect(await stored(res.body.id as string)).toMatchObject({ requesterId: 'U0JANE', requesterEmail: null });
    expect(t.fake.lastCall('users.lookupByEmail')?.args.email).toBe('jane.slack@acme.com');
  });

  it('shows a requester who is not in Slack by address, “via API”, and DMs nobody about it', async () => {
    const res = await raise({ ...valid, summary: 'From outside', requester: { email: 'jane@acme.com' } });
    expect(res.status).toBe(201);
    const e = await stored(res.body.id as string);
    expect(e).toMatchObject({ requesterId: null, requesterEmail: 'jane@acme.com' });
    const card = t.fake.getMessage(BILLING.channelId, e!.messageTs!);
    expect(JSON.stringify(card?.blocks)).toContain('*Raised by*\\njane@acme.com via API');
    // Claimed: the card updates; there is nobody in Slack to DM.
    await t.driver.blockAction({
      action_id: 'escalation_claim',
      value: e!.id,
      user_id: 'U0SPEC',
      channel_id: e!.channelId!,
      message_ts: e!.messageTs!,
    });
    // The claim's thread note (a high escalation's thread also has the on-call note from when it was raised).
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === e!.messageTs && String(c.args.text).includes('claimed this'),
    );
    expect((await stored(e!.id))?.status).toBe('claimed');
    expect(t.fake.callsTo('chat.postMessage').filter((c) => /^[UD]/.test(String(c.args.channel)))).toEqual([]);
  });

  it('answers 200 with the same escalation for the same external_id, even under 20 concurrent calls', async () => {
    const before = await count();
    const body = { ...valid, summary: 'Twenty at once', external_id: 'zendesk-20' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => raise(body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201].sort());
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.ref)).size).toBe(1);
    expect(await count()).toBe(before + 1);
    // The card is posted after the answer (its url is null until Slack has taken it): wait for it, then count.
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === BILLING.channelId && !c.args.thread_ts);
    const cards = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId);
    expect(cards.filter((c) => !c.args.thread_ts)).toHaveLength(1);
    const again = await raise({ ...body, summary: 'Changed text' });
    expect(again).toMatchObject({ status: 200, body: { id: answers[0]!.body.id, ref: answers[0]!.body.ref } });
  });

  it('raises it while Slack is down: 201 with no url yet; the outbox posts the card later, and GET then has its url', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const res = await raise({ ...valid, summary: 'While Slack is down' });
    expect(res.status).toBe(201);
    expect(res.body.url).toBeNull();
    t.clock.advanceMinutes(3);
    expect(await t.deps.scheduler.runSlot(OUTBOX_JOB, t.clock.now())).toBe(true);
    const later = await show(res.body.ref as string);
    expect(later.body.url).toBe((await stored(res.body.id as string))?.messageUrl);
    expect(later.body.url).toMatch(/^https:/);
  });

  it.each([
    ['no token', ''],
    ['a wrong token', 'api-token-0123456789abcdeX'],
  ])('answers 401 with %s and raises nothing', async (_, token) => {
    const before = await count();
    const res = await raise(valid, { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await count()).toBe(before);
  });

  it('answers 400 naming each bad field, and raises nothing', async () => {
    const before = await count();
    const res = await raise({
      department: 'billing',
      priority: 'asap',
      summary: '',
      link: 'javascript:alert(1)',
      requester: { email: 'not-an-address' },
      fields: { nested: { no: 1 } },
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields as object).sort()).toEqual(
      ['colour', 'fields.nested', 'link', 'priority', 'requester.email', 'summary'].sort(),
    );
    expect(res.body.error).toContain('summary');
    const both = await raise({ ...valid, requester: { slack_id: AGENT, email: 'jane@acme.com' } });
    expect(both.body.fields).toEqual({ requester: 'give either slack_id or email, not both' });
    expect((await raise('{"department": "billing"')).body.error).toMatch(/not valid JSON/);
    expect(await count()).toBe(before);
  });

  it('answers 400 naming the field that holds half a character (a helpdesk cut text mid-emoji), and raises nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ ...valid, fields: { plan: 'Enterprise X' } }).replace(' X', ' \\ud83d');
    const res = await raise(body);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({
      'fields.plan': 'holds half a character (a lone \\u escape from a surrogate pair)',
    });
    expect(res.body.error).toContain('fields.plan');
    expect(await count()).toBe(before);
  });

  it('answers 404 for an unknown department, listing the known ones', async () => {
    const res = await raise({ ...valid, department: 'marketing' });
    expect(res.status).toBe(404);
    expect(res.body.error).toContain('billing, legal');
    expect(res.body.known_departments).toEqual([
      { key: 'billing', name: 'Billing' },
      { key: 'legal', name: 'Legal' },
    ]);
  });

  it('answers 413 past 64 KB and 415 for anything but JSON', async () => {
    const res = await raise({ ...valid, details: 'x'.repeat(65 * 1024) });
    expect(res.status).toBe(413);
    expect((await raise('department=billing', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
  });

  it('answers 429 past 60 requests a minute per token, with Retry-After, and again the next minute', async () => {
    t.clock.set(new Date(Math.ceil(t.clock.now().getTime() / 60_000) * 60_000 + 30_000)); // half a minute in
    const answers = [];
    for (let i = 0; i < 61; i++) answers.push(await show('ESC-999999'));
    expect(answers.slice(0, 60).every((a) => a.status === 404)).toBe(true);
    expect(answers[60]!.status).toBe(429);
    expect(answers[60]!.headers.get('retry-after')).toBe('30');
    t.clock.advance(30_000);
    expect((await show('ESC-999999')).status).toBe(404);
  });

  it('is off without FRONTLINE_API_TOKEN: every call answers 401', async () => {
    const off = await startTestApp({ fake: t.fake });
    try {
      const res = await callApi(off.baseUrl, 'POST', '/api/escalations', { token: TOKEN, body: valid });
      expect(res.status).toBe(401);
      expect(res.body.error).toContain('FRONTLINE_API_TOKEN');
    } finally {
      await off.stop();
    }
  });
});

describe('GET /api/escalations/:ref', () => {
  it('returns its state, claimer, times, SLA standing and resolution, by ESC-n, esc-n or n', async () => {
    const created = await raise({ ...valid, summary: 'Follow me', requester: { email: 'jane@acme.com' } });
    const ref = created.body.ref as string;
    const open = await show(ref);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({
      id: created.body.id,
      ref,
      status: 'open',
      department: { key: 'billing', name: 'Billing' },
      requester: { email: 'jane@acme.com' },
      claimer: null,
      resolution: null,
      sla: { acknowledge: { status: 'on_track' }, resolve: { status: 'on_track' } },
    });
    const id = created.body.id as string;
    t.clock.advanceMinutes(90); // past the high-priority acknowledge target
    expect(((await show(ref.toLowerCase())).body.sla as { acknowledge: object }).acknowledge).toMatchObject({
      status: 'overdue',
    });
    const e = (await stored(id))!;
    await t.driver.blockAction({
      action_id: 'escalation_claim',
      value: id,
      user_id: 'U0SPEC',
      channel_id: e.channelId!,
      message_ts: e.messageTs!,
    });
    await expect.poll(async () => (await stored(id))?.status).toBe('claimed');
    await resolveEscalation(createEscalationDeps(t.deps), { id, userId: 'U0SPEC', resolution: 'Refunded by hand' });
    const done = await show(ref.replace('ESC-', ''));
    expect(done.body).toMatchObject({
      status: 'resolved',
      claimer: { slack_id: 'U0SPEC' },
      resolution: { text: 'Refunded by hand', by: { slack_id: 'U0SPEC' } },
      sla: { acknowledge: { status: 'missed' }, resolve: { status: 'met' } },
    });
    expect(done.body.claimed_at).toBe(done.body.resolved_at);
  });

  it('answers 404 for an unknown reference and 400 for something that is not one', async () => {
    expect((await show('ESC-999999')).status).toBe(404);
    const bad = await show('HELP-1');
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual({ ref: 'must be a reference such as ESC-42' });
  });
});

it('stores the external id only once in the table (unique index)', async () => {
  const rows = await t.deps.db.select().from(escalations).where(eq(escalations.externalId, 'zendesk-20'));
  expect(rows).toHaveLength(1);
});
