// On hold, resumed and reopened, through signed requests, with the injected clock: the card, the reminders
// and the digest tell the same SLA story to the minute.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEscalationsRepository, type Escalation } from '../../src/escalations/escalations.repository.ts';
import { domainEvents } from '../../src/events/events.table.ts';
import { shadowAway } from '../../src/rotations/rotations.table.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { AGENT, BILLING, click, clickForReply, messageOf, raised, replyAt, seedDepartments } from './helpers.ts';

const t = useTestApp();
const repo = () => createEscalationsRepository(t.deps);
beforeAll(() => seedDepartments(t));

const ANN = 'U0ANN';
const OUTSIDER = 'U0OUTSIDER';
const LEAD = BILLING.leads[0]!;
const SLA_JOB = 'escalations.sla-check';
const LIFECYCLE_JOB = 'escalations.lifecycle';

const at = (iso: string) => {
  t.clock.set(iso);
  return new Date(iso);
};
const cardText = (e: Escalation) => JSON.stringify(messageOf(t, e)?.blocks ?? []);
const cardButtons = (e: Escalation) =>
  ((messageOf(t, e)?.blocks ?? []) as { type: string; elements?: { text: { text: string } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((b) => b.text.text);
/** The card's "Resolve by" as the instant its Slack date stands for. */
const cardResolveBy = (e: Escalation) => {
  const m = /Resolve by\*\\n<!date\^(\d+)\^/.exec(cardText(e));
  return m ? new Date(Number(m[1]) * 1000) : undefined;
};
const threadTexts = (e: Escalation) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === e.channelId && c.args.thread_ts === e.messageTs)
    .map((c) => String(c.args.text));
const inThread = (e: Escalation, text: string) =>
  eventually(() => threadTexts(e).find((m) => m.includes(text)), `a thread note saying “${text}”`);
const eventsOf = async (e: Escalation) => (await repo().events(e.id)).map((ev) => ev.kind);
/** When each "due soon" warning about the resolve target was recorded (with its message, in one transaction). */
const resolveWarnings = async (e: Escalation) =>
  (await repo().events(e.id)).filter((ev) => ev.detail?.threshold === 'resolve_warning').map((ev) => ev.at);

const claimed = async (summary: string, priority = 'normal') => {
  const e = await raised(t, summary, 'billing', priority);
  await click(t, 'escalation_claim', e, ANN);
  await eventually(async () => ((await repo().get(e.id))?.status === 'claimed' ? true : undefined), 'the claim');
  return e;
};

const hold = (
  e: Escalation,
  { choice = 'customer', other = '', until = null as string | null, user = ANN, viewId = `V${e.id.slice(0, 8)}H` } = {},
) =>
  t.driver.viewSubmission({
    callback_id: 'escalation_hold_modal',
    view_id: viewId,
    private_metadata: e.id,
    user_id: user,
    values: stateValues({
      'escalation_hold_reason/reason': field.radio(choice),
      'escalation_hold_other/other': field.text(other),
      'escalation_hold_until/until': field.date(until),
    }),
  });

const reopen = (e: Escalation, user: string, reason: string, channelId: string | null, viewId: string) =>
  t.driver.viewSubmission({
    callback_id: 'escalation_reopen_modal',
    view_id: viewId,
    private_metadata: JSON.stringify({ id: e.id, channelId }),
    user_id: user,
    values: stateValues({ 'escalation_reopen_reason/reason': field.text(reason) }),
  });

const resolve = async (e: Escalation, user: string, text: string) => {
  await t.driver.viewSubmission({
    callback_id: 'escalation_resolve_modal',
    view_id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    private_metadata: e.id,
    user_id: user,
    values: stateValues({ 'escalation_resolution/resolution': field.text(text) }),
  });
  return eventually(async () => {
    const row = await repo().get(e.id);
    return row?.status === 'resolved' ? row : undefined;
  }, 'the resolution');
};

describe('SLA figures across a weekend, a hold and a reopen', () => {
  it('agree to the minute in the card, the reminders and the digest', async () => {
    // Thursday 09:00 UTC, normal: 24 working hours to resolve → Thu 8 h, Fri 8 h, Mon 8 h → Monday 17:00.
    at('2026-03-05T09:00:00Z');
    const e = await raised(t, 'Weekend hold', 'billing', 'normal');
    at('2026-03-05T10:00:00Z');
    await click(t, 'escalation_claim', e, ANN);
    await eventually(() => (cardText(e).includes('Claimed by') ? true : undefined), 'the claimed card');
    expect(cardResolveBy(e)).toEqual(new Date('2026-03-09T17:00:00Z'));

    // Friday 15:00: on hold, with 10 working hours left (Fri 2 h + Mon 8 h).
    at('2026-03-06T15:00:00Z');
    await click(t, 'escalation_hold', e, ANN);
    const modal = (await t.fake.waitForCall('views.open', (c) => JSON.stringify(c.args).includes(e.id))).args.view as {
      callback_id: string;
    };
    expect(modal.callback_id).toBe('escalation_hold_modal');
    expect((await hold(e)).status).toBe(200);
    await inThread(
      e,
      `<@${ANN}> put this on hold: waiting on customer. Its SLA clocks are stopped. <@${AGENT}>, reply`,
    );
    expect(cardText(e)).toContain(
      `On hold: waiting on customer since <!date^${Date.parse('2026-03-06T15:00:00Z') / 1000}^{time} {date_short_pretty}|3:00 PM Mar 6, 2026 UTC>`,
    );
    expect(cardText(e)).toContain('paused while on hold');
    expect(cardButtons(e)).toEqual(['Resume', 'Resolve']);

    // Monday 17:00 passes while on hold: nobody is reminded.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-09T17:00:00Z'));
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-10T10:00:00Z'));
    expect(threadTexts(e).filter((m) => m.includes('past its resolve target'))).toEqual([]);
    // The digest, while it is on hold, does not count it as late either.
    expect(
      (await repo().metrics({ from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-10T10:00:00Z') }))
        .slaBreachShare,
    ).toBe(0);

    // Tuesday 11:00: the requester replies in the thread; it resumes with 10 working hours left → Wed 13:00.
    at('2026-03-10T11:00:00Z');
    const reply = {
      type: 'message',
      channel: e.channelId!,
      user: AGENT,
      text: 'They sent the invoice',
      ts: '1773140400.000100',
      thread_ts: e.messageTs!,
    };
    await Promise.all([t.driver.event(reply), t.driver.event(reply)]);
    await inThread(e, `Back from hold after 3 d 20 h: <@${AGENT}> replied. <@${ANN}>, resolve it by <!date^`);
    const resumed = (await repo().get(e.id))!;
    expect(resumed).toMatchObject({ status: 'claimed', heldMs: 92 * 3600_000, holdSince: null });
    expect(resumed.resolveDueAt).toEqual(new Date('2026-03-11T13:00:00Z'));
    await eventually(
      () => (cardResolveBy(e)?.getTime() === resumed.resolveDueAt.getTime() ? true : undefined),
      'the card’s new target',
    );

    // Due soon at 75% of the 24 h: 14 h were used before the hold, which kept the 10 h left, so 4 working
    // hours after resuming (Tuesday 15:00), not counted from the raising across the hold.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-10T14:59:00Z'));
    expect(await resolveWarnings(e)).toEqual([]);
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-10T15:00:00Z'));
    expect(await resolveWarnings(e)).toEqual([new Date('2026-03-10T15:00:00Z')]);
    await inThread(e, `Due soon: this should be resolved by <!date^${Date.parse('2026-03-11T13:00:00Z') / 1000}^`);

    // The resolve reminder comes at exactly the card's minute, once.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-11T12:59:00Z'));
    expect(threadTexts(e).filter((m) => m.includes('past its resolve target'))).toHaveLength(0);
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-11T13:00:00Z'));
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-11T13:01:00Z'));
    await inThread(e, 'past its resolve target (24h of working time)');
    expect(threadTexts(e).filter((m) => m.includes('past its resolve target'))).toHaveLength(1);

    // Wednesday 14:10: resolved, 70 minutes late. Raised to resolved 149 h 10 min, 92 h of it on hold.
    at('2026-03-11T14:10:00Z');
    await resolve(e, ANN, 'Credited the invoice');
    await eventually(() => (cardText(e).includes('Resolved by') ? true : undefined), 'the resolved card');
    const resolvedCard = cardText(e);
    expect(resolvedCard).toContain(`Resolved by <@${ANN}> in 2 d 9 h 10 min, not counting 3 d 20 h on hold.`);
    expect(resolvedCard).not.toContain('Resolve by');
    expect(resolvedCard).not.toContain('Acknowledge by');
    expect(cardButtons(e)).toEqual(['Reopen']);
    const week = await repo().metrics({ from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') });
    const billing = week.byDepartment.find((d) => d.departmentKey === 'billing')!;
    expect(billing).toMatchObject({
      medianResolveMinutes: 2 * 1440 + 9 * 60 + 10,
      onHoldMinutes: 92 * 60,
      heldResolved: 1,
      slaBreachShare: 1,
    });

    // Thursday 10:00: the requester reopens it; back with Ann, resolve by 24 working hours later (Tue 10:00).
    at('2026-03-12T10:00:00Z');
    await reopen(e, AGENT, 'The credit did not show up', null, 'V0REOPEN1');
    await inThread(e, `<@${AGENT}> reopened this: The credit did not show up`);
    const reopened = (await repo().get(e.id))!;
    expect(reopened).toMatchObject({ status: 'claimed', claimerId: ANN, resolvedAt: null, reopenableUntil: null });
    expect(reopened.resolveDueAt).toEqual(new Date('2026-03-17T10:00:00Z'));
    await eventually(
      () => (cardResolveBy(e)?.getTime() === reopened.resolveDueAt.getTime() ? true : undefined),
      'the reopened card',
    );
    expect(threadTexts(e).find((m) => m.includes('reopened this'))).toContain(`It is back with <@${ANN}>`);
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ANN && String(c.args.text).includes('reopened the escalation you resolved'),
    );
    // The new target warns again, at 18 working hours from the reopening (Monday 12:00), once.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-16T11:59:00Z'));
    expect(await resolveWarnings(e)).toHaveLength(1);
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-16T12:00:00Z'));
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-16T12:01:00Z'));
    expect((await resolveWarnings(e)).at(-1)).toEqual(new Date('2026-03-16T12:00:00Z'));
    expect(await resolveWarnings(e)).toHaveLength(2);
    // The resolve reminder is due again at the new target, not before.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-17T09:59:00Z'));
    expect(threadTexts(e).filter((m) => m.includes('past its resolve target'))).toHaveLength(1);
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-17T10:00:00Z'));
    await eventually(
      () => (threadTexts(e).filter((m) => m.includes('past its resolve target')).length === 2 ? true : undefined),
      'a second reminder',
    );

    const digest = await repo().metrics({
      from: new Date('2026-03-09T00:00:00Z'),
      to: new Date('2026-03-16T00:00:00Z'),
    });
    expect(digest.byDepartment.find((d) => d.departmentKey === 'billing')?.reopened).toBe(1);
    const announced = (await t.deps.db.select().from(domainEvents))
      // SLA warnings and breaches have their own test (sla-calendar.test.ts).
      .filter((ev) => ev.payload.escalationId === e.id && !ev.type.startsWith('escalation.sla_'))
      .map((ev) => [ev.type, ev.payload.userId]);
    expect(announced).toEqual([
      ['escalation.raised', undefined],
      ['escalation.claimed', ANN],
      ['escalation.put_on_hold', ANN],
      ['escalation.resumed', AGENT],
      ['escalation.resolved', ANN],
      ['escalation.reopened', AGENT],
    ]);
    // Due-soon warnings (also `reminded`) have their own test (sla-calendar.test.ts).
    const kinds = (await repo().events(e.id))
      .filter((ev) => !ev.detail?.threshold?.endsWith('_warning'))
      .map((ev) => ev.kind);
    expect(kinds).toEqual([
      'created',
      'claimed',
      'put_on_hold',
      'resumed',
      'reminded',
      'resolved',
      'reopened',
      'reminded',
    ]);
  });
});

describe('On hold', () => {
  it('refuses a bad form, holds once on a double submit, and resumes by itself on its date', async () => {
    at('2026-03-02T10:00:00Z'); // a Monday
    const e = await claimed('Vendor hold');
    expect((await hold(e, { choice: 'other' })).body).toMatchObject({
      response_action: 'errors',
      errors: { escalation_hold_other: 'Say what it is waiting for' },
    });
    expect((await hold(e, { until: '2026-03-01' })).body).toMatchObject({
      response_action: 'errors',
      errors: { escalation_hold_until: 'Pick a day after today' },
    });
    expect((await repo().get(e.id))?.status).toBe('claimed');

    await Promise.all([
      hold(e, { choice: 'other', other: 'waiting on the <!channel> bank', until: '2026-03-04', viewId: 'V0HOLD2' }),
      hold(e, { choice: 'other', other: 'waiting on the <!channel> bank', until: '2026-03-04', viewId: 'V0HOLD2' }),
    ]);
    await inThread(e, 'put this on hold: waiting on the @channel bank. Its SLA clocks are stopped until <!date^');
    expect(await repo().get(e.id)).toMatchObject({ status: 'on_hold', holdUntil: new Date('2026-03-04T09:00:00Z') });
    expect((await eventsOf(e)).filter((k) => k === 'put_on_hold')).toHaveLength(1);
    expect(await clickForReply(t, 'escalation_hold', e, ANN)).toContain('It is on hold: waiting on the @channel bank.');
    expect(await clickForReply(t, 'escalation_release', e, ANN)).toContain('Resume it first');

    await t.deps.scheduler.runSlot(LIFECYCLE_JOB, at('2026-03-04T08:59:00Z'));
    expect((await repo().get(e.id))?.status).toBe('on_hold');
    await t.deps.scheduler.runSlot(LIFECYCLE_JOB, at('2026-03-04T09:00:00Z'));
    await inThread(e, 'Back from hold after 47 h: its date to come back has arrived.');
    expect((await repo().get(e.id))?.status).toBe('claimed');
  });

  it('lets only the claimer hold it, and answers a stale Resume clearly without writing twice', async () => {
    at('2026-03-02T11:00:00Z');
    const e = await claimed('Resume twice');
    expect(await clickForReply(t, 'escalation_hold', e, LEAD)).toContain(
      `Only <@${ANN}>, who claimed it, can put it on hold.`,
    );
    await hold(e, { user: LEAD, viewId: 'V0HOLDLEAD' });
    await eventually(async () => ((await eventsOf(e)).length >= 2 ? true : undefined), 'the events');
    expect((await repo().get(e.id))?.status).toBe('claimed');

    await hold(e);
    await inThread(e, 'put this on hold: waiting on customer');
    t.clock.advanceMinutes(30);
    const urls = [t.fake.responseUrl(), t.fake.responseUrl()];
    await Promise.all(urls.map((url) => click(t, 'escalation_resume', e, LEAD, url)));
    await inThread(e, `Back from hold after 30 min: <@${LEAD}> resumed it.`);
    const answer = await t.fake.waitForResponse((r) => urls.some((u) => u.endsWith(`/${r.id}`)), 10_000);
    expect(answer.body.text).toContain('It is not on hold any more');
    expect((await eventsOf(e)).filter((k) => k === 'resumed')).toHaveLength(1);
    expect((await repo().get(e.id))?.heldMs).toBe(30 * 60_000);
  });

  it('does not say "due soon" twice when a warned escalation comes back from hold', async () => {
    at('2026-03-04T10:00:00Z');
    const e = await claimed('Warned, then held', 'high'); // 8 h to resolve, around the clock: warned at 16:00
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-04T16:00:00Z'));
    expect(await resolveWarnings(e)).toEqual([new Date('2026-03-04T16:00:00Z')]);
    at('2026-03-04T16:30:00Z');
    await hold(e, { viewId: 'V0WARNHOLD' });
    await inThread(e, 'put this on hold: waiting on customer');
    at('2026-03-04T17:00:00Z');
    await click(t, 'escalation_resume', e, ANN);
    await inThread(e, `Back from hold after 30 min: <@${ANN}> resumed it.`);
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-04T17:01:00Z'));
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-04T18:00:00Z'));
    expect(await resolveWarnings(e)).toHaveLength(1);
  });

  it('counts a hold that ends with the resolution as time on hold, and tells the claimer', async () => {
    at('2026-03-03T10:00:00Z');
    const e = await claimed('Resolved while held');
    t.clock.advanceMinutes(10);
    await hold(e);
    await inThread(e, 'put this on hold: waiting on customer');
    t.clock.advanceMinutes(20);
    const resolved = await resolve(e, LEAD, 'The customer sorted it out');
    expect(resolved).toMatchObject({ heldMs: 20 * 60_000, holdSince: null, holdReason: null });
    await eventually(
      () => (cardText(e).includes(`Resolved by <@${LEAD}> in 10 min, not counting 20 min on hold.`) ? true : undefined),
      'the resolved card',
    );
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ANN && String(c.args.text).includes('resolved the escalation you claimed'),
    );
  });
});

describe('Reopen', () => {
  const resolvedOne = async (summary: string) => {
    at('2026-03-02T10:00:00Z');
    const e = await claimed(summary);
    return resolve(e, ANN, 'Done');
  };

  it('is for the requester and the department, within reopen-days, once', async () => {
    const e = await resolvedOne('Reopen limits');
    // Someone outside the department, clicking where the card is not their department's channel.
    const outside = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'escalation_reopen',
      value: e.id,
      user_id: OUTSIDER,
      channel_id: 'C0ELSEWHERE',
      response_url: outside,
    });
    expect((await t.fake.waitForResponse((r) => outside.endsWith(`/${r.id}`), 10_000)).body.text).toContain(
      'Only the requester or someone in *Billing* can reopen it.',
    );
    await reopen(e, OUTSIDER, 'Let me in', 'C0ELSEWHERE', 'V0OUT1');
    // Someone in the department's channel may: the modal opens for them.
    await click(t, 'escalation_reopen', e, 'U0TEAMMATE');
    const modal = await t.fake.waitForCall('views.open', (c) =>
      JSON.stringify(c.args).includes('escalation_reopen_modal'),
    );
    expect(JSON.parse((modal.args.view as { private_metadata: string }).private_metadata)).toEqual({
      id: e.id,
      channelId: e.channelId,
    });
    expect((await repo().get(e.id))?.status).toBe('resolved');

    // Two submissions of one form, and a second form: reopened once.
    t.clock.advanceMinutes(60);
    await Promise.all([
      reopen(e, 'U0TEAMMATE', 'Customer wrote again', e.channelId, 'V0RO1'),
      reopen(e, 'U0TEAMMATE', 'Customer wrote again', e.channelId, 'V0RO1'),
    ]);
    await inThread(e, '<@U0TEAMMATE> reopened this: Customer wrote again');
    expect(await clickForReply(t, 'escalation_reopen', e, AGENT)).toContain('It is open again already');
    expect((await eventsOf(e)).filter((k) => k === 'reopened')).toHaveLength(1);

    // Resolved again; 14 days later the button is gone and a stale click says why.
    const again = await resolve(e, ANN, 'Done, really');
    expect(again.reopenableUntil).toEqual(new Date(t.clock.now().getTime() + 14 * 24 * 3600_000));
    await t.deps.scheduler.runSlot(
      LIFECYCLE_JOB,
      at(new Date(again.reopenableUntil!.getTime() - 60_000).toISOString()),
    );
    await eventually(() => (cardButtons(e)[0] === 'Reopen' ? true : undefined), 'the card with Reopen');
    await t.deps.scheduler.runSlot(LIFECYCLE_JOB, at(again.reopenableUntil!.toISOString()));
    await eventually(() => (cardButtons(e).length === 0 ? true : undefined), 'the card without Reopen');
    expect(await clickForReply(t, 'escalation_reopen', e, AGENT)).toContain('resolved too long ago to reopen');
    expect((await eventsOf(e)).filter((k) => k === 'reopened')).toHaveLength(1);
  });

  it('goes to the queue when its claimer is away, with new targets from the reopening', async () => {
    const e = await resolvedOne('Claimer away');
    await t.deps.db.insert(shadowAway).values({ userId: ANN, fromDate: '2026-03-03', toDate: '2026-03-06' });
    at('2026-03-03T10:00:00Z');
    await reopen(e, LEAD, 'Wrong account credited', null, 'V0AWAY1');
    await inThread(e, `It is back in the queue (<@${ANN}> is away)`);
    const row = (await repo().get(e.id))!;
    expect(row).toMatchObject({ status: 'open', claimerId: null });
    expect(row.ackDueAt).toEqual(new Date('2026-03-03T14:00:00Z'));
    await eventually(() => (cardButtons(e)[0] === 'Claim' ? true : undefined), 'the card back in the queue');
    // The reminder counts the wait from the reopening, as the target does.
    await t.deps.scheduler.runSlot(SLA_JOB, at('2026-03-03T14:00:00Z'));
    await inThread(e, 'Nobody has claimed this after 4 h (target 4h of working time)');
  });

  it('follows the reopen-days setting for resolutions from then on', async () => {
    const set = async (value: string) => {
      const url = t.fake.responseUrl();
      await t.driver.command({
        command: '/frontline',
        text: `set reopen-days ${value}`,
        user_id: ADMIN,
        response_url: url,
      });
      return replyAt(t, url);
    };
    expect(await set('soon')).toContain('Give a number of days');
    expect(await set('2')).toContain('2 days');
    const e = await resolvedOne('Short window');
    expect(e.reopenableUntil).toEqual(new Date(t.clock.now().getTime() + 2 * 24 * 3600_000));
    await eventually(() => (cardText(e).includes('It can be reopened until <!date^') ? true : undefined), 'the window');
    await t.deps.settings.find('reopen-days')!.set(14);
  });
});
