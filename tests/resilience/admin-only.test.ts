// Every admin-only path, tried by someone who is not an admin: slash commands, the App Home and
// message buttons that lead to admin modals or actions, and the admin modals submitted directly
// (a forged or stale form). Each must be refused clearly, write nothing and make no admin-only
// Slack call. The same request from an admin then succeeds, so the refusal is the guard's doing.

import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEPARTMENT_IDS } from '../../src/departments/departments.ids.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { FEEDBACK_IDS } from '../../src/feedback/feedback.ids.ts';
import { createFeedbackRepository } from '../../src/feedback/feedback.repository.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { ROTATION_IDS } from '../../src/rotations/rotations.ids.ts';
import { createRotationsRepository } from '../../src/rotations/rotations.repository.ts';
import { slackOutbox } from '../../src/slack/outbox.table.ts';
import { WEBHOOK_IDS } from '../../src/webhooks/webhooks.ids.ts';
import { webhookSubscriptions } from '../../src/webhooks/webhooks.table.ts';
import { setUpRotation, setupValues } from '../rotations/helpers.ts';
import { expectClearMessage } from '../support/answers.ts';
import { confirmButtonOf } from '../support/confirm-step.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { eventually, replyTo, runCommand, snapshotDatabase, submitView } from '../support/outcomes.ts';
import { field, stateValues, triggerId } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const PLAIN = 'U0PLAIN1';
const AUTHOR = 'U0AUTHOR';
const ROTATION = 'Fuzz Rotation';
const REFUSAL = /Only (Frontline admins|the person who logged)/;
const rotations = () => createRotationsRepository(t.deps);
let made = 0; // makes each admin-made name new, so the admin run is never refused as a duplicate

/** What a person saw: a reply, a DM or field errors (as text), and any modal opened for them. */
interface Answer {
  said: string;
  opened?: RecordedCall;
}

const fixtureRotation = async () => (await rotations().findByName(ROTATION))!;
const theirFeedback = async () =>
  (await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.loggedBy, AUTHOR)))[0]!.id;

/** A DM or a whisper to `user`, once the work after the ack has got that far. */
const privateAnswerTo = (user: string) =>
  t.fake.calls.find(
    (c) =>
      (c.method === 'chat.postMessage' && c.args.channel === user) ||
      (c.method === 'chat.postEphemeral' && c.args.user === user),
  );

async function command(command: string, text: string, user: string): Promise<Answer> {
  const { reply, opened } = await runCommand(t, { command, text, user_id: user });
  return { said: reply?.text ?? '', ...(opened ? { opened } : {}) };
}

/** A button in the App Home tab: no response_url there, so a refusal comes by DM. */
async function homeButton(actionId: string, user: string): Promise<Answer> {
  const trigger = triggerId();
  expect(
    (
      await t.driver.blockAction({
        action_id: actionId,
        user_id: user,
        trigger_id: trigger,
        view: { type: 'home', id: 'VHOME0001' },
      })
    ).status,
  ).toBe(200);
  return eventually(() => {
    const opened = t.fake.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger);
    const dm = privateAnswerTo(user);
    return opened || dm ? { said: String(dm?.args.text ?? ''), ...(opened ? { opened } : {}) } : undefined;
  }, `an answer to the ${actionId} button`);
}

/** A button in a message (such as `/shadow rotations`): answered in its response_url or with a modal. */
async function messageButton(actionId: string, value: string, user: string): Promise<Answer> {
  const url = t.fake.responseUrl();
  const trigger = triggerId();
  expect(
    (await t.driver.blockAction({ action_id: actionId, value, user_id: user, trigger_id: trigger, response_url: url }))
      .status,
  ).toBe(200);
  return eventually(() => {
    const reply = t.fake.responses.find((r) => url.endsWith(`/${r.id}`));
    const opened = t.fake.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger);
    return reply || opened ? { said: String(reply?.body.text ?? ''), ...(opened ? { opened } : {}) } : undefined;
  }, `an answer to the ${actionId} button`);
}

/** A modal submitted straight to the app, as a forged or stale form would be. */
async function submission(
  input: { callback_id: string; values: ReturnType<typeof stateValues>; private_metadata?: string },
  user: string,
): Promise<Answer> {
  const { errors } = await submitView(t, { ...input, user_id: user });
  if (errors) return { said: Object.values(errors).join('\n') };
  await eventually(() => privateAnswerTo(user), `the confirmation of ${input.callback_id}`);
  return { said: '' };
}

interface AdminPath {
  name: string;
  /** Shows admins something without changing it (a list, a log, a confirm step). */
  readOnly?: boolean;
  /** Sets the scene first, where the action would otherwise change nothing (resuming needs a paused rotation). */
  arrange?: () => Promise<void>;
  send(user: string): Promise<Answer>;
}

/** A command that removes: it asks first, and the button in its answer acts (pressed when offered). */
const confirmed = (name: string, text: string): AdminPath => ({
  name: `${name} ${text}`,
  send: async (user) => {
    const { reply, opened } = await runCommand(t, { command: name, text, user_id: user });
    const button = reply ? confirmButtonOf(reply.body) : undefined;
    if (button) return messageButton(button.action_id, button.value ?? '', user);
    return { said: reply?.text ?? '', ...(opened ? { opened } : {}) };
  },
});

const pauseRotation = async () => void (await rotations().setPaused((await fixtureRotation()).id, true, t.clock.now()));

const frontline = (text: () => string, name = text(), more: Partial<AdminPath> = {}): AdminPath => ({
  name: `/frontline ${name}`,
  send: (user) => command('/frontline', text(), user),
  ...more,
});
/**
 * A paused subscription to an event nothing here raises, at a documentation address (TEST-NET-3):
 * nothing is ever sent to it, and checking its host needs no lookup.
 */
const pausedWebhook = async () =>
  void (await t.deps.db
    .insert(webhookSubscriptions)
    .values({
      id: 'wh_adminpath',
      url: 'https://203.0.113.9/hook',
      events: ['escalation.rated'],
      secret: 'x'.repeat(32),
      status: 'paused',
      source: 'command',
      createdAt: t.clock.now(),
    })
    .onConflictDoUpdate({ target: webhookSubscriptions.id, set: { status: 'paused' } }));
const shadow = (text: string, arrange?: () => Promise<void>): AdminPath => ({
  name: `/shadow ${text}`,
  ...(arrange ? { arrange } : {}),
  send: (user) => command('/shadow', text, user),
});
const rotationButton = (actionId: string, arrange?: () => Promise<void>): AdminPath => ({
  name: `/shadow rotations: the ${actionId} button`,
  ...(arrange ? { arrange } : {}),
  send: async (user) => messageButton(actionId, String((await fixtureRotation()).id), user),
});

/** Every value a setting takes, one per setting (a test below checks the list is complete). */
const SETTING_VALUES: Record<string, string> = {
  'help-channel': '<#C0NEWHELP|new-help>',
  'support-channel': '<#C0NEWSUP|new-support>',
  'digest-channel': '<#C0NEWDIG|new-digest>',
  timezone: 'America/New_York',
  'help-nudge-minutes': '45',
  'feedback-emoji': ':memo:',
  'digest-schedule': '"0 7 * * 2"',
  'digest-audience': 'admins',
  holidays: '2026-12-25 2027-01-01',
  'sla-warn-percent': '80',
  'reopen-days': '30',
  'search-language': 'french',
  'answer-emoji': ':bookmark:',
  'answer-review-days': '90',
};

const ADMIN_PATHS: AdminPath[] = [
  frontline(() => `dept add made-${++made} <#C0MADE|made> Made Here`, 'dept add <key> <#channel> [name]'),
  confirmed('/frontline', 'dept remove fuzz'),
  { name: 'the Remove department button', send: (user) => messageButton(DEPARTMENT_IDS.remove, 'fuzz', user) },
  frontline(() => 'dept leads fuzz <@U0LEAD|lead>'),
  frontline(() => 'dept sla fuzz urgent 10 2'),
  frontline(() => 'dept keywords fuzz invoice, refund'),
  frontline(() => 'dept fields fuzz "Order id" required, Amount'),
  frontline(() => 'dept oncall fuzz <!subteam^S0FUZZOC|@fuzz-oncall>'),
  frontline(() => 'dept hours fuzz mon-thu 08:00-16:00 Europe/Paris'),
  frontline(() => 'dept holidays fuzz 2026-12-24 2026-12-25'),
  {
    ...frontline(() => 'dept assign fuzz round-robin <!subteam^S0ADMRR|@fuzz-team>'),
    arrange: async () => t.fake.setUsergroup('S0ADMRR', ['U0MEMBER']),
  },
  ...Object.entries(SETTING_VALUES).map(([name, value]) => frontline(() => `set ${name} ${value}`)),
  frontline(() => 'theme add performance slow, timeout'),
  frontline(() => 'theme remove billing'),
  frontline(() => 'digest send'),
  frontline(() => 'digest schedule "0 8 * * 5"'),
  frontline(() => `webhook add https://203.0.113.9/hook-${++made} escalation.rated`, 'webhook add <url> [events]'),
  frontline(() => 'webhook list', 'webhook list', { readOnly: true }),
  frontline(() => 'webhook log wh_adminpath', 'webhook log <id>', { readOnly: true, arrange: pausedWebhook }),
  frontline(() => 'webhook resume wh_adminpath', 'webhook resume <id>', { arrange: pausedWebhook }),
  frontline(() => 'webhook remove wh_adminpath', 'webhook remove <id> (asks first)', {
    readOnly: true,
    arrange: pausedWebhook,
  }),
  {
    name: '/frontline webhook remove: the Remove webhook button',
    arrange: pausedWebhook,
    send: (user) => messageButton(WEBHOOK_IDS.removeButton, 'wh_adminpath', user),
  },
  shadow('setup'),
  shadow(`edit ${ROTATION}`),
  shadow(`pause ${ROTATION}`),
  shadow(`resume ${ROTATION}`, pauseRotation),
  confirmed('/shadow', `delete ${ROTATION}`),
  { name: 'App Home: the Add department button', send: (user) => homeButton(DEPARTMENT_IDS.openAddModal, user) },
  { name: 'App Home: the Set up a rotation button', send: (user) => homeButton(ROTATION_IDS.openSetup, user) },
  rotationButton(ROTATION_IDS.edit),
  rotationButton(ROTATION_IDS.pause),
  rotationButton(ROTATION_IDS.resume, pauseRotation),
  rotationButton(ROTATION_IDS.remove),
  {
    name: 'the Edit button on feedback someone else logged',
    send: async (user) => messageButton(FEEDBACK_IDS.editButton, await theirFeedback(), user),
  },
  {
    name: 'the Add department modal, submitted directly',
    send: (user) =>
      submission(
        {
          callback_id: DEPARTMENT_IDS.addModal,
          values: stateValues({
            'department_name/name': field.text('Forged'),
            'department_key/key': field.text(`forged-${++made}`),
            'department_channel/channel': field.conversation('C0FORGED'),
          }),
        },
        user,
      ),
  },
  {
    name: 'the rotation setup modal (new), submitted directly',
    send: (user) =>
      submission(
        { callback_id: ROTATION_IDS.setupModal, values: setupValues({ name: `Forged ${++made}`, users: [PLAIN] }) },
        user,
      ),
  },
  {
    name: 'the rotation setup modal (editing), submitted directly',
    send: async (user) =>
      submission(
        {
          callback_id: ROTATION_IDS.setupModal,
          values: setupValues({ name: ROTATION, users: [PLAIN, AUTHOR] }),
          private_metadata: String((await fixtureRotation()).id),
        },
        user,
      ),
  },
  {
    name: 'the feedback modal editing feedback someone else logged, submitted directly',
    send: async (user) =>
      submission(
        {
          callback_id: FEEDBACK_IDS.modal,
          values: stateValues({
            'feedback_text/text': field.text('Rewritten'),
            'feedback_source/source': field.select('email'),
          }),
          private_metadata: JSON.stringify({ mode: 'edit', id: await theirFeedback() }),
        },
        user,
      ),
  },
];

/** Slack calls a refusal may make: the admin lookup and a private answer to the person refused. */
const refusalCall = (user: string) => (c: RecordedCall) =>
  c.method === 'users.info' ||
  (c.method === 'chat.postMessage' && c.args.channel === user) ||
  (c.method === 'chat.postEphemeral' && c.args.user === user);

beforeAll(async () => {
  t.fake.setUser({ id: PLAIN, is_admin: false, is_owner: false });
  t.fake.setUser({ id: AUTHOR, is_admin: false });
  await t.deps.workspace.digestChannel.set('C0DIGEST');
  await replyTo(t, { command: '/feedback', text: 'The export is slow customer:acme', user_id: AUTHOR });
});

// Admin runs below change the fixtures; every test starts from the same ones.
beforeEach(async () => {
  await createDepartmentsRepository(t.deps).upsert({ key: 'fuzz', name: 'Fuzz Team', channelId: 'C0FUZZ01' });
  await createFeedbackRepository(t.deps).upsertTheme('billing', ['invoice'], ADMIN);
  const rotation =
    (await rotations().findByName(ROTATION)) ?? (await setUpRotation(t, { name: ROTATION, users: [AUTHOR] }));
  await rotations().setPaused(rotation.id, false, t.clock.now());
  // The set-up's messages (the rotation's confirmation DM, say) leave after its ack: let them go first.
  await eventually(
    async () => ((await t.deps.db.select().from(slackOutbox)).length === 0 ? true : undefined),
    'the set-up messages sent',
  );
  t.fake.reset();
});

describe('admin-only paths', () => {
  it.each(ADMIN_PATHS)(
    '$name: refused for everyone else, nothing written, no admin-only Slack call',
    async ({ arrange, send }) => {
      await arrange?.();
      const before = await snapshotDatabase(t);
      const answer = await send(PLAIN);
      expect(answer.said).toMatch(REFUSAL);
      expectClearMessage(answer.said);
      expect(answer.opened, 'no modal opened').toBeUndefined();
      expect(await snapshotDatabase(t), 'nothing written').toEqual(before);
      expect(
        t.fake.calls.filter((c) => !refusalCall(PLAIN)(c)).map((c) => c.method),
        'admin-only Slack calls',
      ).toEqual([]);
    },
  );

  it.each(ADMIN_PATHS)('$name: carried out for an admin', async ({ arrange, send, readOnly }) => {
    await arrange?.();
    const before = await snapshotDatabase(t);
    const answer = await send(ADMIN);
    expect(answer.said).not.toMatch(REFUSAL);
    const adminCalls = t.fake.calls.filter((c) => !refusalCall(ADMIN)(c));
    const changed = JSON.stringify(await snapshotDatabase(t)) !== JSON.stringify(before);
    expect(changed || adminCalls.length > 0 || readOnly, 'something written or an admin-only Slack call made').toBe(
      true,
    );
  });

  it('covers every admin command in /frontline help and every setting', () => {
    const areas = [...t.deps.frontline.renderHelp().text.matchAll(/`\/frontline help (\S+)`/g)].map((m) => m[1]);
    const text = areas.map((area) => t.deps.frontline.renderHelp(area).text).join('\n');
    const adminUsages = text
      .split('\n')
      .filter((line) => line.includes('_(admins)_'))
      .map((line) => /`([^`]+)`/.exec(line)![1]!);
    expect(adminUsages.length).toBeGreaterThan(0);
    for (const usage of adminUsages) {
      const fixedWords = usage.split(' ').filter((w) => !/^[<["“]/.test(w));
      const prefix = fixedWords.slice(0, usage.startsWith('/frontline') ? 3 : 2).join(' ');
      expect(
        ADMIN_PATHS.map((p) => p.name).some((name) => name.startsWith(prefix)),
        `a row for ${usage}`,
      ).toBe(true);
    }
    expect(Object.keys(SETTING_VALUES).sort()).toEqual(
      t.deps.settings
        .all()
        .map((s) => s.definition.name)
        .sort(),
    );
  });
});
