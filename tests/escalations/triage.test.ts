// Triage trees, driven through signed requests: the walk in /escalate's modal, Back, the form it sets,
// the path on the card, answers that end it as a deflection, messages, the test walk, and start-up checks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { triageTreeSchema } from '../../src/escalations/triage.models.ts';
import { createKnowledgeRepository } from '../../src/knowledge/knowledge.repository.ts';
import { seedAnswer } from '../knowledge/helpers.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { startTestApp, useTestApp } from '../support/test-app.ts';
import { TREE } from './fixtures/triage-tree.ts';
import { AGENT, messageOf, PATIENCE_MS, raised, withSummary } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'frontline-triage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const DEPARTMENTS = [
  { key: 'billing', name: 'Billing', channel: 'C0BILLING' },
  { key: 'legal', name: 'Legal', channel: 'C0LEGAL' },
];

const t = useTestApp({
  env: { FRONTLINE_CONFIG: configFile('good.json', { departments: DEPARTMENTS, triage: TREE }) },
});

beforeAll(async () => {
  await seedAnswer(t, { title: 'Reset a customer password', body: 'Use *Admin > Users > Reset*. <!channel>' });
});

type View = { id: string; callback_id: string; private_metadata: string; blocks: any[]; title: { text: string } };

let walks = 0;

/** Runs a command that opens the walk and returns the modal it opened. */
async function open(command: string, text: string): Promise<View> {
  const before = t.fake.callsTo('views.open').length;
  await t.driver.command({ command, text, user_id: AGENT });
  const call = await t.fake.waitForCall('views.open', (c) => t.fake.callsTo('views.open').indexOf(c) >= before);
  // Slack gives each modal its own id, kept through its updates.
  return { ...(call.args.view as View), id: `V0WALK${++walks}` };
}

const buttons = (view: View) =>
  view.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : [])) as Array<{
    action_id: string;
    text: { text: string };
  }>;

/** Clicks the button labelled `label` in the modal as drawn, and returns the modal drawn next. */
async function click(view: View, label: string, user = AGENT): Promise<View> {
  const target = buttons(view).find((b) => b.text.text === label);
  expect(target, `a button ${label} in ${JSON.stringify(buttons(view).map((b) => b.text.text))}`).toBeDefined();
  const before = t.fake.callsTo('views.update').length;
  await t.driver.blockAction({
    action_id: target!.action_id,
    block_id: view.blocks.find((b) => b.elements?.includes(target) || b.accessory === target)?.block_id,
    user_id: user,
    view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h.1' },
  });
  const call = await t.fake.waitForCall(
    'views.update',
    (c) => t.fake.callsTo('views.update').indexOf(c) >= before,
    PATIENCE_MS,
  );
  expect(call.args.view_id).toBe(view.id);
  expect(call.args.hash).toBe('h.1');
  return { ...(call.args.view as View), id: view.id };
}

const textOf = (view: View) => JSON.stringify(view.blocks);

type Typed = Record<string, ReturnType<(typeof field)['text']>>;

/** Submits the form the walk opened, as it was drawn, with the team, priority and summary picked. */
const submitForm = (form: View, picked: { department: string; priority: string; summary: string }, typed: Typed = {}) =>
  t.driver.viewSubmission({
    callback_id: 'escalation_raise',
    user_id: AGENT,
    view_id: form.id,
    blocks: form.blocks,
    private_metadata: form.private_metadata,
    values: stateValues({
      'escalation_department/department': field.select(picked.department),
      'escalation_priority/priority': field.select(picked.priority),
      'escalation_summary/summary': field.text(picked.summary),
      ...typed,
    }),
  });
const deflections = async () =>
  (await createKnowledgeRepository(t.deps).metrics({ start: new Date(0), end: new Date('2100-01-01') })).deflected;

describe('the triage walk in /escalate', () => {
  it('asks one question per step, goes back one step, and opens the form set by the answer', async () => {
    const first = await open('/escalate', '');
    expect(first.title.text).toBe('Escalate to a team');
    expect(textOf(first)).toContain('What is it about? @channel');
    expect(textOf(first)).not.toContain('<!channel>');
    expect(buttons(first).map((b) => b.text.text)).toEqual([
      'Payment problem',
      'Password',
      'Login loop',
      'Feature idea',
    ]);

    const second = await click(first, 'Payment problem');
    expect(textOf(second)).toContain('What happened?');
    expect(textOf(second)).toContain('Triage: Payment problem');
    const back = await click(second, '← Back');
    expect(textOf(back)).toContain('What is it about?');
    expect(buttons(back).map((b) => b.text.text)).not.toContain('← Back');

    const form = await click(await click(back, 'Payment problem'), 'Charged twice');
    expect(form.callback_id).toBe('escalation_raise');
    const blocks = textOf(form);
    expect(blocks).toContain('"initial_option":{"text":{"type":"plain_text","text":"Billing"');
    expect(form.blocks.find((b) => b.block_id === 'escalation_priority').element.initial_option.value).toBe('urgent');
    const invoice = form.blocks.find((b) => b.block_id === 'escalation_field:invoice number');
    expect(invoice).toMatchObject({ optional: false, label: { text: 'Invoice number' } });
    expect(blocks).toContain('Triage: Payment problem &gt; Charged twice');
    // The form's Back returns to the question that led to it.
    expect(textOf(await click(form, '← Back to the questions'))).toContain('What happened?');

    // The outcome's field is required on submit, like a team's own.
    const picked = { department: 'billing', priority: 'urgent', summary: 'Customer charged twice' };
    const missing = await submitForm(form, picked);
    expect(missing.body).toMatchObject({
      response_action: 'errors',
      errors: { 'escalation_field:invoice number': 'Invoice number is required for this team' },
    });
    await submitForm(form, picked, { 'escalation_field:invoice number/value': field.text('INV-7') });
    const row = await eventually(
      async () => (await withSummary(t, 'Customer charged twice')).find((e) => e.messageTs),
      'the escalation posted',
    );
    expect(row).toMatchObject({
      departmentKey: 'billing',
      priority: 'urgent',
      triagePath: ['Payment problem', 'Charged twice'],
      fields: { 'Invoice number': 'INV-7' },
    });
    expect(JSON.stringify(messageOf(t, row)?.blocks)).toContain('Triage: Payment problem &gt; Charged twice');
  });

  it('escapes the labels picked when the card shows the path', async () => {
    const first = await open('/escalate', '');
    const form = await click(await click(first, 'Payment problem'), 'Card @here & bank');
    const res = await submitForm(form, { department: 'legal', priority: 'normal', summary: 'Card dispute' });
    expect(res.status).toBe(200);
    const row = await eventually(
      async () => (await withSummary(t, 'Card dispute')).find((e) => e.messageTs),
      'the escalation posted',
    );
    expect(row.triagePath).toEqual(['Payment problem', 'Card <!here> & bank']);
    const card = JSON.stringify(messageOf(t, row)?.blocks);
    expect(card).toContain('Triage: Payment problem &gt; Card @here &amp; bank');
    expect(card).not.toContain('<!here>');
  });

  it('ends at a saved answer: That solved it counts one deflection, creates nothing', async () => {
    const before = await deflections();
    const answer = await click(await open('/escalate', ''), 'Password');
    expect(textOf(answer)).toContain('Reset a customer password');
    expect(textOf(answer)).toContain('Use *Admin &gt; Users &gt; Reset*. @channel');
    expect(buttons(answer).map((b) => b.text.text)).toEqual(['That solved it', 'Escalate anyway', '← Back']);

    const solved = await click(answer, 'That solved it');
    expect(textOf(solved)).toContain('Glad that solved it');
    // A double click counts once.
    await click(answer, 'That solved it');
    expect(await deflections()).toBe(before + 1);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('counts the tree’s own answer text as a deflection too, and Escalate anyway opens the form', async () => {
    const before = await deflections();
    const answer = await click(await open('/escalate', ''), 'Login loop');
    expect(textOf(answer)).toContain('Clear the cookies, then sign in again.');
    await click(answer, 'That solved it');
    expect(await deflections()).toBe(before + 1);

    const form = await click(answer, 'Escalate anyway');
    expect(form.callback_id).toBe('escalation_raise');
    expect(textOf(form)).toContain('Triage: Login loop');
    expect(JSON.parse(form.private_metadata).triage).toEqual({ path: ['Login loop'], fields: [], backTo: [2] });
    expect(textOf(await click(form, '← Back to the questions'))).toContain('Clear the cookies');
  });

  it('ends at a message, escaped, with nothing to send', async () => {
    const message = await click(await open('/escalate', ''), 'Feature idea');
    const text = textOf(message);
    expect(text).toContain('Not an escalation: post ideas in #ideas (https://evil.example) @here.');
    expect(text).not.toContain('<!here>');
    expect(buttons(message).map((b) => b.text.text)).toEqual(['← Back']);
  });

  it('starts from the Escalate button on Home too', async () => {
    await t.driver.blockAction({
      action_id: 'escalation_open_raise',
      user_id: AGENT,
      view: { type: 'home', id: 'VHOME0001' },
    });
    const opened = await t.fake.waitForCall('views.open', undefined, PATIENCE_MS);
    expect((opened.args.view as View).callback_id).toBe('triage_walk');
  });

  it('leaves the quick path as it was', async () => {
    const row = await raised(t, 'Quick contract question', 'legal');
    expect(row.triagePath).toEqual([]);
    expect(JSON.stringify(messageOf(t, row)?.blocks)).not.toContain('Triage');
  });
});

describe('a tree that changes or goes', () => {
  it('starts a walk again when the tree no longer fits its steps', async () => {
    const first = await open('/escalate', '');
    const tree = t.deps.triage.current();
    t.deps.triage.use(triageTreeSchema.parse({ ...TREE, nodes: { ...TREE.nodes, topic: TREE.nodes.payment } }));
    try {
      // The fourth option of the old first question is no option of the new one.
      const restarted = await click(first, 'Feature idea');
      expect(textOf(restarted)).toContain('The questions changed meanwhile: please start again.');
      expect(textOf(restarted)).toContain('What happened?');
    } finally {
      t.deps.triage.use(tree);
    }
  });

  it('without a tree, /escalate opens its form and /frontline triage says how to add one', async () => {
    const tree = t.deps.triage.current();
    t.deps.triage.use(undefined);
    try {
      expect((await open('/escalate', '')).callback_id).toBe('escalation_raise');
      const url = t.fake.responseUrl();
      await t.driver.command({ command: '/frontline', text: 'triage', user_id: AGENT, response_url: url });
      const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
      expect(reply.body.text).toContain('No triage questions are set');
    } finally {
      t.deps.triage.use(tree);
    }
  });
});

describe('/frontline triage', () => {
  it('shows the tree privately, escaped', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/frontline', text: 'triage', user_id: AGENT, response_url: url });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
    expect(reply.body.response_type).toBe('ephemeral');
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toContain(
      '• Charged twice → :office: *Billing*, urgent priority, asking for Invoice number (required)',
    );
    expect(shown).toContain('the answer “Reset a customer password”');
    expect(shown).toContain('Card @here &amp; bank');
    expect(shown).not.toContain('<!channel>');
  });

  it('test walks the tree privately without creating or counting anything', async () => {
    const before = await deflections();
    const first = await open('/frontline', 'triage test');
    expect(first.title.text).toBe('Test the questions');
    expect(textOf(first)).toContain('Test run: nothing is created or counted');
    const end = await click(await click(first, 'Payment problem'), 'Charged twice');
    expect(end.callback_id).toBe('triage_walk');
    expect(textOf(end)).toContain(
      'Here the form opens for *Billing*, urgent priority, asking for Invoice number (required).',
    );

    const answer = await click(await click(end, '← Back'), '← Back').then((top) => click(top, 'Password'));
    expect(buttons(answer).map((b) => b.text.text)).toEqual(['← Back']);
    expect(await deflections()).toBe(before);
    expect(await withSummary(t, 'Customer charged twice')).toHaveLength(1);
  });
});

describe('a tree that cannot run', () => {
  it('stops the app at start with one message listing each problem', async () => {
    const path = configFile('bad.json', {
      departments: DEPARTMENTS,
      triage: {
        start: 'topic',
        nodes: {
          topic: {
            question: 'What is it about?',
            options: [
              { label: 'Money', next: 'money' },
              { label: 'Else', next: 'nowhere' },
            ],
          },
          money: {
            question: 'Which?',
            options: [
              { label: 'Again', next: 'topic' },
              { label: 'Finance', department: 'finance' },
            ],
          },
          orphan: { question: 'Ever?', options: [{ label: 'Only', message: 'x' }] },
        },
      },
    });
    const error = await startTestApp({ env: { FRONTLINE_CONFIG: path } }).then(
      (app) => app.stop().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines[0]).toBe('Frontline cannot start: fix the FRONTLINE_CONFIG file');
    expect(lines.slice(1).map((l) => l.replace(/^ {2}- FRONTLINE_CONFIG \S+: /, ''))).toEqual([
      'triage.nodes.topic option 2 (“Else”) leads to “nowhere”, which is not one of triage.nodes',
      'triage.nodes.money option 2 (“Finance”) sends to department “finance”, which does not exist (known: billing, legal)',
      'triage.nodes.orphan has 1 option; give it 2 to 6',
      'triage.nodes form a loop: topic > money > topic',
      'triage.nodes.orphan is never reached from “topic”',
    ]);
  });
});
