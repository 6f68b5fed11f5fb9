// Raising escalations: the command, the modal, the message shortcut, bad input and duplicates.

import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_JOB } from '../../src/slack/housekeeping.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';
import { AGENT, BILLING, escalate, manifestBotScopes, seedDepartments, withSummary } from './helpers.ts';

const t = useTestApp();
beforeAll(async () => {
  await seedDepartments(t);
  // Only the bot scopes the manifest asks for: a call needing another one fails the test.
  t.fake.scopes = manifestBotScopes();
});

const modalValues = (summary: string, extra: Record<string, ReturnType<(typeof field)[keyof typeof field]>> = {}) =>
  stateValues({
    'escalation_department/department': field.select('billing'),
    'escalation_priority/priority': field.select('urgent'),
    'escalation_customer/customer': field.text('ACME (acct 42)'),
    'escalation_summary/summary': field.text(summary),
    'escalation_details/details': field.text('Tried a refund twice.\nStill pending.'),
    'escalation_link/link': field.url('https://support.example.com/tickets/42'),
    ...extra,
  });

describe('/escalate <dept> [priority] <summary>', () => {
  it('creates it at once, posts it to the department and links to it', async () => {
    const reply = await escalate(t, 'billing high Card charged twice for ACME');
    const [row] = await withSummary(t, 'Card charged twice for ACME');
    expect(row).toMatchObject({
      departmentKey: 'billing',
      priority: 'high',
      status: 'open',
      requesterId: AGENT,
      channelId: BILLING.channelId,
    });
    expect(reply).toContain('Escalated to *Billing*');
    expect(reply).toContain(row!.messageUrl!);

    // The card, not the high-priority note in its thread.
    const posted = t.fake.callsTo('chat.postMessage').find((c) => !c.args.thread_ts)!.args;
    expect(posted).toMatchObject({
      channel: BILLING.channelId,
      text: expect.stringContaining('High escalation for Billing: Card charged twice for ACME'),
    });
    const json = JSON.stringify(posted.blocks);
    for (const label of ['Claim', 'Resolve', 'Reassign', 'Acknowledge by', 'Resolve by', `<@${AGENT}>`])
      expect(json).toContain(label);
    // High runs around the clock: 60 minutes after 10:00 UTC.
    expect(row!.ackDueAt).toEqual(new Date(t.clock.now().getTime() + 60 * 60_000));
  });

  it('defaults the priority to normal', async () => {
    await escalate(t, 'billing Invoice address wrong');
    expect((await withSummary(t, 'Invoice address wrong'))[0]?.priority).toBe('normal');
  });

  it('never creates two for a repeated command or a Slack retry', async () => {
    await escalate(t, 'billing Double sent');
    const again = await escalate(t, 'billing Double sent');
    expect(again).toContain('did not create it twice');
    await escalate(t, 'billing Double sent', AGENT, { retryNum: 1 });
    expect(await withSummary(t, 'Double sent')).toHaveLength(1);
    // A while later the same words are a new issue.
    t.clock.advanceMinutes(1);
    await escalate(t, 'billing Double sent');
    expect(await withSummary(t, 'Double sent')).toHaveLength(2);
  });

  it('opens the modal prefilled with a hint for an unknown department, creating nothing', async () => {
    await t.driver.command({ command: '/escalate', text: 'shipping Parcel lost', user_id: AGENT });
    const open = await t.fake.waitForCall('views.open');
    const json = JSON.stringify(open.args.view);
    expect(json).toContain('`shipping` is not a department');
    expect(json).toContain('"initial_value":"shipping Parcel lost"');
    expect(await withSummary(t, 'Parcel lost')).toHaveLength(0);
  });

  it('lists the departments when the modal cannot open', async () => {
    t.fake.failNext('views.open', { error: 'expired_trigger_id' });
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/escalate', text: 'shipping Parcel lost', user_id: AGENT, response_url: url });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    expect(reply.body.text).toContain('There is no department `shipping`');
    expect(reply.body.text).toContain('`billing` (Billing)');
  });

  it('opens the prefilled modal when only a department is given', async () => {
    await t.driver.command({ command: '/escalate', text: 'billing urgent', user_id: AGENT });
    const open = await t.fake.waitForCall('views.open');
    const json = JSON.stringify(open.args.view);
    expect(json).toContain('Add a summary');
    // Departments are picked by name; keys are for commands.
    expect(json).toMatch(/"initial_option":\{"text":\{[^}]*"text":"Billing"/);
    expect(json).not.toContain('(billing)');
  });

  it('opens the modal with a hint instead of creating from an over-long summary', async () => {
    const long = `Too long ${'x'.repeat(3000)}`;
    await t.driver.command({ command: '/escalate', text: `billing ${long}`, user_id: AGENT });
    const json = JSON.stringify((await t.fake.waitForCall('views.open')).args.view);
    expect(json).toContain('too long for a summary: it is in the details below');
    // The summary is one line; the whole text waits in the details.
    const view = (await t.fake.waitForCall('views.open')).args.view as {
      blocks: { block_id?: string; element?: { initial_value?: string; multiline?: boolean; max_length?: number } }[];
    };
    const summary = view.blocks.find((b) => b.block_id === 'escalation_summary')?.element;
    expect(summary).toMatchObject({ max_length: 150 });
    expect(summary?.multiline).toBeUndefined();
    expect(view.blocks.find((b) => b.block_id === 'escalation_details')?.element?.initial_value).toBe(
      long.slice(0, 3000),
    );
    expect(await withSummary(t, long)).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tells a requester outside working hours when the department picks it up', async () => {
    t.clock.set('2026-03-07T11:00:00Z'); // Saturday
    const reply = await escalate(t, 'billing low Weekend question');
    expect(reply).toContain('outside working hours');
    expect(reply).toContain('<!date^1773046800^'); // Monday 9 March 09:00 UTC
    t.clock.set('2026-03-02T10:00:00Z');
  });

  it('answers help with the forms of the command, and /frontline help lists them', async () => {
    expect(await escalate(t, 'help')).toContain('`/escalate` _department_');
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/frontline', text: 'help escalations', response_url: url });
    expect((await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text).toContain('/escalate list');
  });
});

describe('the Escalate modal', () => {
  it('opens with the directory and normal priority for /escalate alone', async () => {
    await t.driver.command({ command: '/escalate', text: '', user_id: AGENT });
    const view = (await t.fake.waitForCall('views.open')).args.view as { callback_id: string };
    expect(view.callback_id).toBe('escalation_raise');
    const json = JSON.stringify(view);
    expect(json).toContain('"value":"billing"');
    expect(json).toContain('"value":"legal"');
    expect(json).toMatch(/"initial_option":\{"text":\{[^}]*Normal[^}]*\},"value":"normal"\}/);
  });

  it('confirms a form opened by /escalate the way the quick path does: privately, in the same words', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/escalate', text: '', user_id: AGENT, response_url: url });
    const view = (await t.fake.waitForCall('views.open')).args.view as { private_metadata: string };
    expect(JSON.parse(view.private_metadata)).toEqual({ replyUrl: url });
    await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      user_id: AGENT,
      private_metadata: view.private_metadata,
      values: modalValues('Same words either way'),
    });
    const formReply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    expect(formReply.body.response_type).toBe('ephemeral');
    const quickReply = await escalate(t, 'billing urgent Same words the quick way');
    const shape = (text: string) => text.replace(/<[^>]*>/g, 'X').replace(/\d+/g, 'N');
    expect(shape(String(formReply.body.text))).toBe(shape(quickReply));
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === AGENT)).toHaveLength(0);
  });

  it('creates from a submission (opened from Home) and DMs the requester, once even when submitted twice', async () => {
    const submit = () =>
      t.driver.viewSubmission({
        callback_id: 'escalation_raise',
        view_id: 'V0RAISE01',
        user_id: AGENT,
        values: modalValues('Refund stuck for ACME'),
      });
    const [a, b] = await Promise.all([submit(), submit()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === AGENT);
    expect(dm.args.text).toContain('Escalated to *Billing*');
    const rows = await withSummary(t, 'Refund stuck for ACME');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      priority: 'urgent',
      customer: 'ACME (acct 42)',
      details: 'Tried a refund twice.\nStill pending.',
      link: 'https://support.example.com/tickets/42',
    });
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId)).toHaveLength(1);
  });

  it.each([
    ['an empty summary', { 'escalation_summary/summary': field.text('  ') }, 'escalation_summary'],
    ['an over-long summary', { 'escalation_summary/summary': field.text('x'.repeat(3001)) }, 'escalation_summary'],
    ['a bad URL', { 'escalation_link/link': field.url('support ticket 42') }, 'escalation_link'],
    ['no department', { 'escalation_department/department': field.select(null) }, 'escalation_department'],
    ['a removed department', { 'escalation_department/department': field.select('gone') }, 'escalation_department'],
  ])('refuses %s next to the field and creates nothing', async (_what, values, block) => {
    const summary = `Bad input ${block} ${Math.random()}`;
    const res = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      user_id: AGENT,
      values: modalValues(summary, values),
    });
    expect(res.body).toMatchObject({ response_action: 'errors', errors: { [block]: expect.any(String) } });
    expect(await withSummary(t, summary)).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('accepts a corrected resubmission of a modal that had errors', async () => {
    const bad = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      view_id: 'V0FIXED',
      user_id: AGENT,
      values: modalValues('', {}),
    });
    expect(bad.body.response_action).toBe('errors');
    await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      view_id: 'V0FIXED',
      user_id: AGENT,
      values: modalValues('Fixed it'),
    });
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === AGENT);
    expect(await withSummary(t, 'Fixed it')).toHaveLength(1);
  });

  it('opens prefilled with the message text and its permalink from the message shortcut', async () => {
    await t.driver.messageShortcut({
      callback_id: 'escalate_message',
      channel_id: 'C0SUPPORT',
      user_id: AGENT,
      message: { ts: '1772445600.000100', text: 'Customer says the app &lt;crashes&gt; on login', user: 'U0CUST' },
    });
    const view = JSON.stringify((await t.fake.waitForCall('views.open')).args.view);
    expect(view).toContain('"initial_value":"Customer says the app <crashes> on login"');
    expect(view).toContain('https://example.slack.com/archives/C0SUPPORT/p1772445600000100');
  });
});

describe('when Slack is down', () => {
  it('keeps the escalation and the outbox posts it a minute later', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/escalate',
      text: 'billing urgent Posted later',
      user_id: AGENT,
      response_url: url,
    });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    expect(reply.body.text).toMatch(
      /I saved your escalation \*ESC-\d+\* for \*Billing\*, but Slack would not let me post it/,
    );
    const [stored] = await withSummary(t, 'Posted later');
    expect(stored).toMatchObject({ status: 'open', messageTs: null });

    t.clock.advanceMinutes(3);
    expect(await t.deps.scheduler.runSlot(OUTBOX_JOB, t.clock.now())).toBe(true);
    expect(await t.deps.scheduler.runSlot('escalations.sla-check', t.clock.now())).toBe(true); // and not again by the SLA check
    const [posted] = await withSummary(t, 'Posted later');
    expect(posted?.messageTs).toBeTruthy();
    expect(t.fake.getMessage(BILLING.channelId, posted!.messageTs!)?.text).toContain('Posted later');
    // Three refused attempts while raising (the client retries), then the one that landed.
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId)).toHaveLength(4);
    t.clock.set('2026-03-02T10:00:00Z');
  });
});
