// Outgoing webhooks end to end: admins subscribe a real receiving server with /frontline webhook, the
// app's own changes raise events, and each delivery arrives over real HTTP, signed (checked by an
// implementation apart from the app's), in order per record, retried after 500s and timeouts, and
// a receiver that fails for a day pauses its subscription until an admin resumes it.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOKS_JOB } from '../../src/webhooks/webhooks.listeners.ts';
import { webhookDeliveries, webhookSubscriptions } from '../../src/webhooks/webhooks.table.ts';
import { AGENT, click, raised, seedDepartments } from '../escalations/helpers.ts';
import { ask, click as helpClick, requestAskedBy } from '../help-requests/help-test-helpers.ts';
import { eventually, replyTo, runCommand } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { postFeedback } from '../support/webhook.ts';
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const FEEDBACK_TOKEN = 'a-feedback-token-long-enough';
const API_TOKEN = 'an-api-token-long-enough';
const t = useTestApp({
  env: {
    // The receiving server is on this host, over http: allowed for tests only.
    FRONTLINE_WEBHOOKS_ALLOW_PRIVATE: 'true',
    FRONTLINE_WEBHOOKS_TIMEOUT_SECONDS: '0.5',
    FRONTLINE_WEBHOOK_TOKEN: FEEDBACK_TOKEN,
    FRONTLINE_API_TOKEN: API_TOKEN,
  },
});
const CLAIMER = 'U0CLAIMER';
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  await seedDepartments(t);
});

afterEach(async () => {
  // Each test subscribes its own receiver: the ones before stop getting events.
  await t.deps.db.delete(webhookSubscriptions);
});

afterAll(async () => {
  for (const r of receivers) await r.close();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

/** `/frontline webhook add` as an admin; returns the new subscription's id and the secret shown once. */
async function subscribe(url: string, events = '') {
  const { reply } = await runCommand(t, {
    command: '/frontline',
    text: `webhook add ${url} ${events}`,
    user_id: ADMIN,
  });
  const shown = JSON.stringify(reply?.body.blocks);
  const id = /wh_[a-z0-9]{8}/.exec(reply?.text ?? '')?.[0];
  const secret = /whsec_[0-9a-f]{64}/.exec(shown)?.[0];
  expect(id, reply?.text).toBeDefined();
  expect(secret, 'the secret is shown once').toBeDefined();
  expect(reply?.text, 'the notification text does not carry the secret').not.toContain(secret);
  return { id: id!, secret: secret! };
}

/** Runs the minute's delivery job as the scheduler would, at the test clock's time. */
const runJob = () => t.deps.scheduler.runSlot(WEBHOOKS_JOB, t.clock.now());

const deliveriesOf = (subscriptionId: string) =>
  t.deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.subscriptionId, subscriptionId))
    .orderBy(webhookDeliveries.seq);

const resolve = (escalationId: string, user: string, resolution: string) =>
  t.driver.viewSubmission({
    callback_id: 'escalation_resolve_modal',
    view_id: `V0WH${Math.floor(Math.random() * 1e6)}`,
    private_metadata: escalationId,
    user_id: user,
    values: stateValues({ 'escalation_resolution/resolution': field.text(resolution) }),
  });

describe('webhook deliveries', () => {
  it('sends every change of an escalation, signed, with the escalation as it stood, in order', async () => {
    const r = await receiver();
    const { secret } = await subscribe(r.url, 'escalation.*');
    const e = await raised(t, 'Customer charged twice');
    await click(t, 'escalation_claim', e, CLAIMER);
    await eventually(() => (r.accepted().length >= 2 ? true : undefined), 'the claim delivered');
    await click(t, 'escalation_release', e, CLAIMER);
    await eventually(() => (r.accepted().length >= 3 ? true : undefined), 'the release delivered');
    await click(t, 'escalation_claim', e, CLAIMER);
    await eventually(() => (r.accepted().length >= 4 ? true : undefined), 'the second claim delivered');
    await resolve(e.id, CLAIMER, 'Refunded the second charge.');

    const bodies = await eventually(() => (r.accepted().length >= 5 ? r.accepted() : undefined), 'five deliveries');
    expect(bodies.map((b) => b.type)).toEqual([
      'escalation.raised',
      'escalation.claimed',
      'escalation.released',
      'escalation.claimed',
      'escalation.resolved',
    ]);
    expect(bodies.map((b) => b.data.escalation.status)).toEqual(['open', 'claimed', 'open', 'claimed', 'resolved']);
    const resolved = bodies[4]!;
    expect(resolved).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'escalation.resolved',
      time: t.clock.now().toISOString(),
      data: {
        escalation: expect.objectContaining({
          id: e.id,
          department: { key: 'billing', name: 'Billing' },
          priority: 'high',
          summary: 'Customer charged twice',
          requester: { slack_id: AGENT },
          claimer: { slack_id: CLAIMER },
          resolution: {
            text: 'Refunded the second charge.',
            by: { slack_id: CLAIMER },
            at: t.clock.now().toISOString(),
          },
          url: e.messageUrl,
        }),
        actor: { slack_id: CLAIMER },
      },
    });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(5);
    // The escalation reads exactly as the REST API shows it.
    const api = await fetch(`${t.baseUrl}/api/escalations/${resolved.data.escalation.ref}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(await api.json()).toEqual(resolved.data.escalation);
    for (const delivery of r.requests) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['x-frontline-request-timestamp']).toBe(
        String(Math.floor(t.clock.now().getTime() / 1000)),
      );
      expect(await signatureIsValid(secret, delivery), 'signed with the subscription’s secret').toBe(true);
      expect(await signatureIsValid(`${secret}x`, delivery), 'not with another secret').toBe(false);
      expect(await signatureIsValid(secret, { ...delivery, body: `${delivery.body} ` }), 'nor another body').toBe(
        false,
      );
    }
  });

  it('sends only the events a subscription asked for, help requests and feedback included', async () => {
    const r = await receiver();
    await subscribe(r.url, 'feedback.captured,escalation.resolved');
    await raised(t, 'Not for this receiver');
    const res = await postFeedback(
      t.baseUrl,
      { text: 'The export button is hard to find', customer: 'Acme' },
      { token: FEEDBACK_TOKEN },
    );
    expect(res.status).toBe(201);
    const [body] = await eventually(() => (r.accepted().length > 0 ? r.accepted() : undefined), 'the feedback');
    expect(body).toMatchObject({
      type: 'feedback.captured',
      data: { feedback: { text: 'The export button is hard to find', customer: 'Acme', captured_via: 'webhook' } },
    });
    expect(r.requests).toHaveLength(1);
  });

  it('sends a help request as it is asked and picked up', async () => {
    const r = await receiver();
    await subscribe(r.url, 'help_request.*');
    await t.deps.workspace.helpChannel.set('C0HELP');
    await ask(t, 'How do I export an invoice as CSV?', 'U0ASKER');
    const request = await requestAskedBy(t, 'U0ASKER');
    await helpClick(t, 'help_claim', request, 'U0HELPER');
    const bodies = await eventually(() => (r.accepted().length >= 2 ? r.accepted() : undefined), 'asked and picked up');
    expect(bodies.map((b) => b.type)).toEqual(['help_request.asked', 'help_request.picked_up']);
    expect(bodies[1]).toMatchObject({
      data: {
        help_request: { id: request.id, question: 'How do I export an invoice as CSV?', status: 'claimed' },
        actor: { slack_id: 'U0HELPER' },
      },
    });
  });

  it('retries after 500s and timeouts with growing waits, at least once with the same event id', async () => {
    const r = await receiver();
    const { id } = await subscribe(r.url, 'escalation.raised');
    r.answerNext(500, 2);
    r.answerNext({ hang: 2_000 });
    await raised(t, 'Flaky receiver');
    const [first] = await eventually(async () => {
      const rows = await deliveriesOf(id);
      return rows[0]?.attempts === 1 ? rows : undefined;
    }, 'the first try');
    expect(first).toMatchObject({ status: 'pending', lastStatus: 500 });
    expect(first!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(30_000);

    await runJob(); // not due yet
    expect(r.requests).toHaveLength(1);
    t.clock.advance(30_000);
    await runJob();
    expect((await deliveriesOf(id))[0]).toMatchObject({ attempts: 2, lastStatus: 500 });
    expect((await deliveriesOf(id))[0]!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(60_000);
    t.clock.advance(60_000);
    await runJob(); // the receiver holds this one past the 0.5 s timeout
    expect((await deliveriesOf(id))[0]).toMatchObject({
      attempts: 3,
      lastStatus: null,
      lastError: 'no answer within 0.5 s',
    });
    t.clock.advance(120_000);
    await runJob();
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: 'delivered', attempts: 4, lastStatus: 200 });
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => JSON.parse(q.body).id)).size).toBe(1);

    const log = await runCommand(t, { command: '/frontline', text: `webhook log ${id}`, user_id: ADMIN });
    expect(JSON.stringify(log.reply?.body.blocks)).toContain('HTTP 200');
  });

  it('keeps the order of each record: a later change waits for the earlier delivery, other records do not', async () => {
    const r = await receiver();
    const { id } = await subscribe(r.url, 'escalation.*');
    r.answerNext(500);
    const a = await raised(t, 'First record');
    await click(t, 'escalation_claim', a, CLAIMER);
    await eventually(async () => ((await deliveriesOf(id)).length === 2 ? true : undefined), 'the claim recorded');
    const b = await raised(t, 'Second record');
    await eventually(() => (r.accepted().length === 1 ? true : undefined), 'the other record delivered');
    expect(r.accepted()[0]).toMatchObject({ type: 'escalation.raised', data: { escalation: { id: b.id } } });
    expect(r.requests).toHaveLength(2); // the claim of the first record was not sent before its raise

    t.clock.advance(30_000);
    await runJob();
    const forA = r.accepted().filter((body) => body.data.escalation.id === a.id);
    expect(forA.map((body) => body.type)).toEqual(['escalation.raised', 'escalation.claimed']);
  });

  it('pauses a subscription after a day of failures, tells the admins, and sends what waited once resumed', async () => {
    const r = await receiver();
    const { id } = await subscribe(r.url, 'escalation.raised');
    r.answerAlways(503);
    const first = await raised(t, 'Receiver down');
    await eventually(async () => ((await deliveriesOf(id))[0]?.attempts === 1 ? true : undefined), 'the first try');
    const started = t.clock.now().getTime();
    const paused = async () =>
      (await t.deps.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)))[0]?.status ===
      'paused';
    while (t.clock.now().getTime() - started < 23 * 3600_000) {
      t.clock.advance(3600_000);
      await runJob();
    }
    expect(await paused(), 'still trying after 23 hours').toBe(false);
    t.clock.advance(3600_000);
    await runJob();
    expect(await paused(), 'paused after 24 hours').toBe(true);
    const dm = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ADMIN && String(c.args.text).includes('is paused'),
    );
    expect(String(dm.args.text)).toContain(`/frontline webhook resume ${id}`);
    const tries = r.requests.length;

    // While paused, new events wait; nothing is sent.
    const second = await raised(t, 'Raised while paused');
    t.clock.advance(3600_000);
    await runJob();
    expect(r.requests).toHaveLength(tries);
    const list = await runCommand(t, { command: '/frontline', text: 'webhook list', user_id: ADMIN });
    expect(JSON.stringify(list.reply?.body.blocks)).toContain('paused');

    r.answerNormally();
    expect(await replyTo(t, { command: '/frontline', text: `webhook resume ${id}`, user_id: ADMIN })).toContain(
      'resumed',
    );
    const bodies = await eventually(() => (r.accepted().length >= 2 ? r.accepted() : undefined), 'what waited');
    expect(bodies.map((b) => b.data.escalation.id)).toEqual([first.id, second.id]);
  });
});

describe('webhook commands', () => {
  it('remove asks first, then removes', async () => {
    const r = await receiver();
    const { id } = await subscribe(r.url);
    const { reply } = await runCommand(t, { command: '/frontline', text: `webhook remove ${id}`, user_id: ADMIN });
    const button = ((reply?.body.blocks ?? []) as any[])
      .flatMap((b) => b.elements ?? [])
      .find((e: any) => e.action_id === 'webhook_remove');
    expect(button).toMatchObject({ style: 'danger', value: id, confirm: { confirm: { text: 'Remove' } } });
    expect(await t.deps.db.select().from(webhookSubscriptions)).toHaveLength(1);

    const url = t.fake.responseUrl();
    await t.driver.blockAction({ action_id: 'webhook_remove', value: id, user_id: ADMIN, response_url: url });
    const done = await t.fake.waitForResponse((res) => url.endsWith(`/${res.id}`));
    expect(done.body).toMatchObject({ replace_original: true, text: expect.stringContaining('is removed') });
    expect(await t.deps.db.select().from(webhookSubscriptions)).toHaveLength(0);
  });

  it('refuses bad input and people who are not admins, writing nothing', async () => {
    const r = await receiver();
    const refusals = [
      ['webhook add ftp://example.com/hook', 'is not a URL'],
      [`webhook add ${r.url} escalation.exploded`, 'escalation.exploded'],
      ['webhook add', 'Give the https URL'],
      ['webhook remove wh_nothere1', 'no webhook'],
      ['webhook remove 42', 'is not a webhook id'],
    ] as const;
    for (const [text, says] of refusals)
      expect(await replyTo(t, { command: '/frontline', text, user_id: ADMIN })).toContain(says);
    expect(await replyTo(t, { command: '/frontline', text: `webhook add ${r.url}`, user_id: AGENT })).toContain(
      'Only Frontline admins',
    );
    expect(await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(webhookSubscriptions)).toEqual([{ n: 0 }]);
  });
});
