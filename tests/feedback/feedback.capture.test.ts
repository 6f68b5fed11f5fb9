// Every way feedback is captured in Slack, driven over HTTP as Slack would.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_IDS as IDS } from '../../src/feedback/feedback.ids.ts';
import { createFeedbackRepository } from '../../src/feedback/feedback.repository.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createFeedbackRepository(t.deps);
const allItems = () => t.deps.db.select().from(feedbackItems);
const byText = async (text: string) => await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.text, text));

async function feedbackCommand(text: string, user = 'U0AGENT') {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({ command: '/feedback', text, user_id: user, response_url: url });
  expect(res.status).toBe(200);
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body;
}

async function frontline(text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text as string;
}

const modalValues = (v: { text: string; customer?: string; source?: string; themes?: string; sentiment?: string }) =>
  stateValues({
    [`${IDS.textBlock}/${IDS.textInput}`]: field.text(v.text),
    [`${IDS.customerBlock}/${IDS.customerInput}`]: field.text(v.customer ?? null),
    [`${IDS.sourceBlock}/${IDS.sourceInput}`]: field.select(v.source ?? 'chat'),
    [`${IDS.themesBlock}/${IDS.themesInput}`]: field.text(v.themes ?? null),
    [`${IDS.sentimentBlock}/${IDS.sentimentInput}`]: field.select(v.sentiment ?? 'auto'),
  });

describe('/feedback <text>', () => {
  it('captures at once with customer and themes, silently, and confirms only to the logger with an Edit button', async () => {
    const reply = await feedbackCommand(
      'The export is painfully slow and keeps failing customer:"Acme Corp" #performance',
    );
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Saved as negative feedback about *performance*, from *Acme Corp*.');
    const edit = reply.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === IDS.editButton);
    expect(edit.text.text).toBe('Edit');
    const [item] = await byText('The export is painfully slow and keeps failing');
    expect(item).toMatchObject({
      customer: 'Acme Corp',
      themes: ['performance'],
      source: 'other',
      sentimentLabel: 'negative',
      capturedVia: 'command',
      loggedBy: 'U0AGENT',
    });
    expect(edit.value).toBe(item!.id);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tags by theme keywords when no theme is given', async () => {
    expect(await frontline('theme add billing invoice, credit card')).toContain('Added theme *billing*');
    await feedbackCommand('Their credit card was charged twice');
    const [item] = await byText('Their credit card was charged twice');
    expect(item?.themes).toEqual(['billing']);
  });

  it('explains what is missing and stores nothing when there is only tags', async () => {
    const before = (await allItems()).length;
    const reply = await feedbackCommand('customer:acme #billing');
    expect(reply.text).toContain('Write the feedback itself');
    expect(await allItems()).toHaveLength(before);
  });
});

describe('the feedback modal', () => {
  it('opens with /feedback alone and stores what is submitted, with a sentiment override', async () => {
    await t.driver.command({ command: '/feedback', text: '', user_id: 'U0AGENT', channel_id: 'C0SUPPORT' });
    const open = await t.fake.waitForCall('views.open');
    const view = open.args.view as any;
    expect(view.callback_id).toBe(IDS.modal);
    // Starts where the quick path records it ("Other"), so the form asks no more than /feedback <text>.
    expect(view.blocks.find((b: any) => b.block_id === IDS.sourceBlock).element.initial_option.value).toBe('other');
    const res = await t.driver.viewSubmission({
      callback_id: IDS.modal,
      private_metadata: view.private_metadata,
      user_id: 'U0AGENT',
      values: modalValues({
        text: 'Onboarding call was fine I guess',
        customer: 'Globex',
        source: 'phone',
        themes: '#onboarding, calls',
        sentiment: 'negative',
      }),
    });
    expect(res.status).toBe(200);
    const whisper = await t.fake.waitForCall('chat.postEphemeral');
    expect(whisper.args).toMatchObject({ channel: 'C0SUPPORT', user: 'U0AGENT' });
    expect(String(whisper.args.text)).toContain('from *Globex*');
    const [item] = await byText('Onboarding call was fine I guess');
    expect(item).toMatchObject({
      source: 'phone',
      themes: ['onboarding', 'calls'],
      sentimentLabel: 'negative',
      sentimentOverridden: true,
      capturedVia: 'modal',
    });
  });

  it('refuses a form it did not write', async () => {
    const res = await t.driver.viewSubmission({
      callback_id: IDS.modal,
      private_metadata: 'not json',
      values: modalValues({ text: 'Fine' }),
    });
    expect(res.body.errors[IDS.textBlock]).toContain('out of date');
    expect(await byText('Fine')).toHaveLength(0);
  });

  it('shows errors next to the fields and stores nothing', async () => {
    const before = (await allItems()).length;
    const res = await t.driver.viewSubmission({
      callback_id: IDS.modal,
      private_metadata: JSON.stringify({ mode: 'create' }),
      values: {
        ...modalValues({ text: '   ', themes: 'two words' }),
        [IDS.sourceBlock]: { [IDS.sourceInput]: field.select(null) },
      },
    });
    expect(res.body.response_action).toBe('errors');
    expect(res.body.errors[IDS.textBlock]).toContain('Write the feedback itself');
    expect(res.body.errors[IDS.themesBlock]).toContain('not: two words');
    expect(res.body.errors[IDS.sourceBlock]).toBe('Pick where the feedback came from');
    expect(await allItems()).toHaveLength(before);
  });
});

describe('the log_feedback message shortcut', () => {
  it('opens the modal prefilled with the message and its link, and logs the message once', async () => {
    const message = {
      ts: '1772445600.000100',
      text: 'Customer says the new reports are fantastic',
      user: 'U0CUSTOMERSM',
    };
    await t.driver.messageShortcut({ callback_id: IDS.shortcut, message, channel_id: 'C0SHARED', user_id: 'U0AM' });
    const open = await t.fake.waitForCall('views.open');
    const view = open.args.view as any;
    expect(JSON.stringify(view.blocks)).toContain('Customer says the new reports are fantastic');
    expect(JSON.stringify(view.blocks)).toContain('https://example.slack.com/archives/C0SHARED/p1772445600000100');
    expect(view.blocks.find((b: any) => b.block_id === IDS.sourceBlock).element.initial_option.value).toBe('chat');
    const submit = () =>
      t.driver.viewSubmission({
        callback_id: IDS.modal,
        private_metadata: view.private_metadata,
        user_id: 'U0AM',
        values: modalValues({ text: message.text, customer: 'Initech' }),
      });
    expect((await submit()).status).toBe(200);
    await t.fake.waitForCall('chat.postEphemeral');
    const [item] = await byText(message.text);
    expect(item).toMatchObject({
      sourceChannelId: 'C0SHARED',
      sourceMessageTs: message.ts,
      capturedVia: 'shortcut',
      sentimentLabel: 'positive',
      permalink: expect.stringContaining('/archives/C0SHARED/'),
    });

    const again = await submit();
    expect(again.body.response_action).toBe('errors');
    expect(again.body.errors[IDS.textBlock]).toContain('already logged');
    expect(await byText(message.text)).toHaveLength(1);
  });
});

describe('reacting with the feedback emoji', () => {
  const react = (user: string, ts: string, reaction = 'bulb', channel = 'C0SALES', retryNum?: number) =>
    t.driver.event(
      {
        type: 'reaction_added',
        user,
        reaction,
        item_user: 'U0REP',
        item: { type: 'message', channel, ts },
        event_ts: ts,
      },
      retryNum === undefined ? {} : { retryNum },
    );

  it('captures the message once however many people react, and tells only the first', async () => {
    t.fake.addMessage('C0SALES', {
      ts: '1772445700.000200',
      text: 'Customer is unhappy: the invoice is wrong again',
      user: 'U0REP',
    });
    const results = await Promise.all([
      react('U0ONE', '1772445700.000200'),
      react('U0TWO', '1772445700.000200'),
      react('U0ONE', '1772445700.000200'),
    ]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const whisper = await t.fake.waitForCall('chat.postEphemeral');
    await expect.poll(async () => (await byText('Customer is unhappy: the invoice is wrong again')).length).toBe(1);
    const [item] = await byText('Customer is unhappy: the invoice is wrong again');
    expect(item).toMatchObject({
      capturedVia: 'reaction',
      sourceChannelId: 'C0SALES',
      sentimentLabel: 'negative',
      loggedBy: whisper.args.user,
    });
    expect(t.fake.lastCall('conversations.history')?.args).toMatchObject({
      channel: 'C0SALES',
      latest: '1772445700.000200',
      inclusive: true,
      limit: 1,
    });
    expect((await react('U0TWO', '1772445700.000200', 'bulb', 'C0SALES', 1)).status).toBe(200); // Slack's retry of an event
    expect(await byText('Customer is unhappy: the invoice is wrong again')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postEphemeral')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('reads a thread reply through conversations.replies', async () => {
    t.fake.addMessage('C0SALES', { ts: '1772445800.000100', text: 'Thread parent', user: 'U0REP' });
    t.fake.addMessage('C0SALES', {
      ts: '1772445801.000100',
      thread_ts: '1772445800.000100',
      text: 'They want dark mode',
      user: 'U0REP',
    });
    await react('U0ONE', '1772445801.000100');
    await t.fake.waitForCall('chat.postEphemeral');
    expect(await byText('They want dark mode')).toHaveLength(1);
    expect(t.fake.lastCall('conversations.replies')?.args).toMatchObject({ ts: '1772445801.000100' });
  });

  it('ignores other emoji, and follows the feedback-emoji setting', async () => {
    t.fake.addMessage('C0SALES', { ts: '1772445900.000100', text: 'Please add SSO', user: 'U0REP' });
    await react('U0ONE', '1772445900.000100', 'tada');
    expect(await frontline('set feedback-emoji :memo:')).toContain(':memo:');
    await react('U0ONE', '1772445900.000100', 'bulb');
    expect(await byText('Please add SSO')).toHaveLength(0);
    await react('U0ONE', '1772445900.000100', 'memo');
    await t.fake.waitForCall('chat.postEphemeral');
    expect(await byText('Please add SSO')).toHaveLength(1);
    await frontline('set feedback-emoji bulb');
  });
});

describe('Edit', () => {
  it('lets the logger change the item, re-scoring when sentiment is automatic', async () => {
    const reply = await feedbackCommand('Great support today', 'U0EDITOR');
    const id = reply.blocks
      .flatMap((b: any) => b.elements ?? [])
      .find((e: any) => e.action_id === IDS.editButton).value;
    await t.driver.blockAction({ action_id: IDS.editButton, value: id, user_id: 'U0EDITOR', channel_id: 'C0SUPPORT' });
    const view = (await t.fake.waitForCall('views.open')).args.view as any;
    expect(view.title.text).toBe('Edit feedback');
    await t.driver.viewSubmission({
      callback_id: IDS.modal,
      private_metadata: view.private_metadata,
      user_id: 'U0EDITOR',
      values: modalValues({ text: 'Terrible support today', source: 'email', themes: 'support' }),
    });
    await t.fake.waitForCall('chat.postEphemeral', (c) => String(c.args.text).startsWith('Updated'));
    expect(await repo().get(id)).toMatchObject({
      text: 'Terrible support today',
      source: 'email',
      themes: ['support'],
      sentimentLabel: 'negative',
      sentimentOverridden: false,
    });
  });

  it('refuses someone else and changes nothing', async () => {
    const reply = await feedbackCommand('Nice docs', 'U0OWNER2');
    const id = reply.blocks
      .flatMap((b: any) => b.elements ?? [])
      .find((e: any) => e.action_id === IDS.editButton).value;
    t.fake.setUser({ id: 'U0OTHER', is_admin: false });
    const res = await t.driver.viewSubmission({
      callback_id: IDS.modal,
      private_metadata: JSON.stringify({ mode: 'edit', id }),
      user_id: 'U0OTHER',
      values: modalValues({ text: 'Hacked' }),
    });
    expect(res.body.errors[IDS.textBlock]).toContain('Only the person who logged this feedback');
    expect(await repo().get(id)).toMatchObject({ text: 'Nice docs' });
  });
});

describe('/frontline theme', () => {
  it('lists, updates and removes themes; only admins change them', async () => {
    await frontline('theme add mobile app, ios, android');
    expect(await frontline('theme add mobile app, ios, android, tablet')).toContain('Updated theme *mobile*');
    expect(await frontline('theme list', 'U0ANYONE')).toContain('*mobile*: app, ios, android, tablet');
    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    expect(await frontline('theme remove mobile', 'U0PLAIN')).toContain('Only Frontline admins');
    expect(await frontline('theme remove mobile')).toContain('Removed theme *mobile*');
    expect(await frontline('theme remove mobile')).toContain('There is no theme `mobile`');
  });
});
