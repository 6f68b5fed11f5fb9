// Random and nasty text through every slash command, end to end over signed HTTP: always a 200 ack
// and a clear private answer (or the right modal), never a crash, and all or nothing in the
// database: a refusal changes nothing, an accepted command is carried out completely.
import { readFileSync } from 'node:fs';
import { desc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDeptCommand } from '../../src/departments/departments.commands.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { parseDigestCommand } from '../../src/digests/digests.commands.ts';
import { createDigestsRepository } from '../../src/digests/digests.repository.ts';
import { parseEscalateCommand } from '../../src/escalations/escalations.commands.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { parseThemeCommand } from '../../src/feedback/feedback.commands.ts';
import { feedbackTextSchema, parseFeedbackText } from '../../src/feedback/feedback.models.ts';
import { createFeedbackRepository } from '../../src/feedback/feedback.repository.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { splitTopic } from '../../src/help-requests/help-requests.models.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { checkQuestion } from '../../src/help-requests/help-requests.usecases.ts';
import { parseSkillsCommand } from '../../src/help-requests/skills.models.ts';
import { createSkillsRepository } from '../../src/help-requests/skills.repository.ts';
import { isAdminShadowCommand, parseShadowCommand } from '../../src/rotations/rotations.commands.ts';
import { localDate, parseAwayRange } from '../../src/rotations/rotations.models.ts';
import { createRotationsRepository } from '../../src/rotations/rotations.repository.ts';
import { splitArgs } from '../../src/slack/mentions.ts';
import { decodeSlackText, escapeMrkdwn } from '../../src/slack/mrkdwn.ts';
import { setUpRotation } from '../rotations/helpers.ts';
import { expectClearMessage, refusalOf } from '../support/answers.ts';
import {
  askLine,
  deptLine,
  digestLine,
  escalateLine,
  feedbackLine,
  nastyText,
  settingLine,
  shadowLine,
  skillsLine,
  themeLine,
} from '../support/arbitraries.ts';
import {
  expectUnchanged,
  fuzzEndToEnd,
  replyTo,
  runCommand,
  type Snapshot,
  snapshotDatabase,
} from '../support/outcomes.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

// Each property runs the whole app for dozens of random inputs: on two busy cores that takes a while.
vi.setConfig({ testTimeout: 90_000 });

const t = useTestApp();
const USER = 'U0FUZZ01';
const departments = () => createDepartmentsRepository(t.deps);
const rotations = () => createRotationsRepository(t.deps);

const fuzz = <T>(input: fc.Arbitrary<T>, body: (value: T) => Promise<void>, numRuns = 30) =>
  fuzzEndToEnd(t, input, body, numRuns);

/** A refusal: the parser's message shown as is, and nothing written. */
const expectRefused = async (reply: string | undefined, message: string, before: Snapshot) => {
  expect(reply).toBe(message);
  await expectUnchanged(t, before);
};

/** The router's view of `/frontline <sub> <rest>` as Slack sends it: the typed text after the subcommand, and its words. */
const afterSubcommand = (line: string) => {
  const text = decodeSlackText(line);
  return { text: text.trim().slice(splitArgs(text)[0]!.length).trim(), args: splitArgs(text).slice(1) };
};

beforeAll(async () => {
  await setUpRotation(t, { name: 'Fuzz Rotation', users: [USER, 'U0FUZZ02'], hosts: ['U0HOST01'] });
});

// Fixtures a fuzzed admin command may have changed: department `fuzz` and the help channel.
beforeEach(async () => {
  await departments().upsert({ key: 'fuzz', name: 'Fuzz Team', channelId: 'C0FUZZ01' });
  await t.deps.workspace.helpChannel.set('C0HELP');
});

describe('admin commands of /frontline', () => {
  it('dept: refuses with the usage, or changes exactly the department named', () =>
    fuzz(deptLine, async (line) => {
      const text = `dept ${line}`;
      const expected = refusalOf(() => parseDeptCommand(afterSubcommand(text).args));
      const existed =
        expected.ok && expected.value.action !== 'list'
          ? await departments().getIncludingArchived(expected.value.key)
          : undefined;
      const before = await snapshotDatabase(t);
      const reply = await replyTo(t, { command: '/frontline', text, user_id: ADMIN });
      if (!expected.ok) return expectRefused(reply, expected.message, before);
      const command = expected.value;
      if (command.action === 'list') return expectUnchanged(t, before);
      const after = await departments().get(command.key);
      if (command.action !== 'add' && (!existed || existed.archivedAt)) {
        expect(reply).toContain(`There is no department \`${command.key}\``);
        return expectUnchanged(t, before);
      }
      if (command.action === 'add')
        expect(after).toMatchObject({
          channelId: command.channelId,
          name: command.name ?? existed?.name ?? expect.any(String),
          archivedAt: null,
        });
      if (command.action === 'remove') {
        // Removing asks first; nothing changes until the button is pressed.
        expect(reply).toContain('Remove *');
        return expectUnchanged(t, before);
      }
      if (command.action === 'leads') expect(after?.leads).toEqual(command.leads);
      if (command.action === 'sla') expect(after?.sla[command.priority]).toEqual(command.target);
      if (command.action === 'keywords') expect(after?.keywords).toEqual(command.keywords);
      if (command.action === 'hours')
        expect(after).toMatchObject({
          workDays: command.workDays,
          workStart: command.workStart,
          workEnd: command.workEnd,
          timezone: command.timezone,
        });
    }));

  it('set: refuses with the usage, or stores exactly the value parsed', () =>
    fuzz(settingLine, async (line) => {
      const text = `set ${line}`;
      const { text: rest, args } = afterSubcommand(text);
      const setting = args[0] ? t.deps.settings.find(args[0].toLowerCase()) : undefined;
      const valueText = rest.slice(args[0]?.length ?? 0).trim();
      const expected = setting && valueText ? refusalOf(() => setting.definition.parse(valueText)) : undefined;
      const before = await snapshotDatabase(t);
      const reply = await replyTo(t, { command: '/frontline', text, user_id: ADMIN });
      if (!expected?.ok) {
        if (expected) expect(reply).toBe(expected.message);
        else if (args[0]) expect(reply).toMatch(/There is no setting|Give a value/);
        return expectUnchanged(t, before);
      }
      expect(reply).toContain(`\`${setting!.definition.name}\` is now`);
      expect(await setting!.get()).toEqual(expected.value);
    }));

  it('theme: refuses with the usage, or adds and removes exactly that theme', () =>
    fuzz(themeLine, async (line) => {
      const text = `theme ${line}`;
      const expected = refusalOf(() => parseThemeCommand(afterSubcommand(text).args));
      const themes = async () => createFeedbackRepository(t.deps).listThemes();
      const existed =
        expected.ok && expected.value.action !== 'list'
          ? (await themes()).find((th) => th.name === (expected.value as { name: string }).name)
          : undefined;
      const before = await snapshotDatabase(t);
      const reply = await replyTo(t, { command: '/frontline', text, user_id: ADMIN });
      if (!expected.ok) return expectRefused(reply, expected.message, before);
      const command = expected.value;
      if (command.action === 'list' || (command.action === 'remove' && !existed)) return expectUnchanged(t, before);
      const after = (await themes()).find((th) => th.name === command.name);
      if (command.action === 'add') expect(after?.keywords).toEqual(command.keywords);
      else expect(after).toBeUndefined();
    }));

  it('digest: refuses with the usage, or schedules and subscribes as asked', () =>
    fuzz(digestLine, async (line) => {
      const text = `digest ${line}`;
      const expected = refusalOf(() => parseDigestCommand(afterSubcommand(text).text));
      const before = await snapshotDatabase(t);
      const reply = await replyTo(t, { command: '/frontline', text, user_id: ADMIN });
      if (!expected.ok) return expectRefused(reply, expected.message, before);
      const command = expected.value;
      const subscribers = await createDigestsRepository(t.deps).subscribers();
      if (command.action === 'schedule')
        expect(await t.deps.settings.find('digest-schedule')?.get()).toMatchObject({ cron: command.cron });
      else if (command.action === 'subscribe') expect(subscribers).toContain(ADMIN);
      else if (command.action === 'unsubscribe') expect(subscribers).not.toContain(ADMIN);
      else await expectUnchanged(t, before);
    }));
});

describe('commands for everyone', () => {
  it('/frontline skills: refuses with the usage, or changes exactly the person’s skills', () =>
    fuzz(skillsLine, async (line) => {
      const text = `skills ${line}`;
      const expected = refusalOf(() => parseSkillsCommand(afterSubcommand(text).text));
      const before = await snapshotDatabase(t);
      const reply = await replyTo(t, { command: '/frontline', text, user_id: USER });
      if (!expected.ok) return expectRefused(reply, expected.message, before);
      const mine = await createSkillsRepository(t.deps).of(USER);
      const command = expected.value;
      if (command.action === 'add') expect(mine).toEqual(expect.arrayContaining(command.skills));
      else if (command.action === 'remove') for (const skill of command.skills) expect(mine).not.toContain(skill);
      else await expectUnchanged(t, before);
    }));

  it('/shadow: refuses clearly, keeps admin actions to admins, or does exactly what was asked', () =>
    fuzz(fc.tuple(shadowLine, fc.constantFrom(ADMIN, USER)), async ([line, user]) => {
      const expected = refusalOf(() => parseShadowCommand(decodeSlackText(line)));
      const before = await snapshotDatabase(t);
      const { reply, opened } = await runCommand(t, { command: '/shadow', text: line, user_id: user });
      if (reply) expectClearMessage(reply.text);
      if (!expected.ok) return expectRefused(reply?.text, expected.message, before);
      const command = expected.value;
      if (isAdminShadowCommand(command) && user !== ADMIN) {
        expect(reply?.text).toContain('Only Frontline admins');
        expect(opened).toBeUndefined();
        return expectUnchanged(t, before);
      }
      const rotation =
        'rotation' in command && command.rotation ? await rotations().findByName(command.rotation) : undefined;
      if ('rotation' in command && command.rotation && !rotation) {
        expect(reply?.text).toContain('There is no rotation');
        return expectUnchanged(t, before);
      }
      if (command.action === 'setup' || command.action === 'edit')
        return void (expect(opened?.args.view).toMatchObject({ callback_id: 'rotations_setup' }),
        await expectUnchanged(t, before));
      if (command.action === 'pause' || command.action === 'resume')
        return void expect((await rotations().get(rotation!.id))?.paused).toBe(command.action === 'pause');
      if (command.action === 'delete')
        return void expect(await rotations().get(rotation!.id)).toMatchObject({ deletedAt: expect.any(Date) });
      if (command.action === 'optout') return void expect(await rotations().optedOut()).toContain(user);
      if (command.action === 'optin') return void expect(await rotations().optedOut()).not.toContain(user);
      if (command.action === 'away') {
        const range = parseAwayRange(command.args, localDate(t.clock.now(), await t.deps.timezone()));
        if ('error' in range)
          return void (expect(reply?.text).toContain(range.error), await expectUnchanged(t, before));
        return void expect((await rotations().awayFrom(range.from)).get(user)).toContainEqual({
          from: range.from,
          to: range.to,
        });
      }
      await expectUnchanged(t, before);
    }));

  it('/escalate: opens the form, refuses, or raises exactly one escalation with the summary typed', () =>
    fuzz(escalateLine, async (line) => {
      const command = parseEscalateCommand(line);
      const department =
        'departmentKey' in command && command.departmentKey
          ? await departments().get(command.departmentKey)
          : undefined;
      const before = await snapshotDatabase(t);
      const { reply, opened } = await runCommand(t, { command: '/escalate', text: line, user_id: USER });
      if (command.action !== 'quick' || !department) {
        if (reply) expectClearMessage(reply.text);
        // Text that is not a department's may earn a suggested team (from what earlier runs
        // raised and resolved) instead of the form.
        const suggested = reply?.text.startsWith('Suggested team:');
        if (command.action !== 'help' && command.action !== 'list' && !suggested)
          expect(opened?.args.view).toMatchObject({ callback_id: 'escalation_raise' });
        return expectUnchanged(t, before);
      }
      expect(reply?.text).toContain(`Escalated to *${escapeMrkdwn(department.name)}*`);
      const [raised] = await t.deps.db.select().from(escalations).orderBy(desc(escalations.createdAt)).limit(1);
      expect(raised).toMatchObject({
        departmentKey: department.key,
        priority: command.priority,
        summary: command.summary,
        requesterId: USER,
        messageTs: expect.any(String),
      });
    }));

  it('/ask: opens the form, refuses with the usage, or posts exactly one request', () =>
    fuzz(askLine, async (line) => {
      const text = decodeSlackText(line).trim();
      const expected = refusalOf(() => checkQuestion(text));
      const before = await snapshotDatabase(t);
      const { reply, opened } = await runCommand(t, { command: '/ask', text: line, user_id: USER });
      if (reply) expectClearMessage(reply.text);
      if (text === '')
        return void (expect(opened?.args.view).toMatchObject({ callback_id: 'help_ask' }),
        await expectUnchanged(t, before));
      if (['help', 'list'].includes(text.toLowerCase())) return expectUnchanged(t, before);
      if (!expected.ok) return expectRefused(reply?.text, expected.message, before);
      const [asked] = await t.deps.db
        .select()
        .from(helpRequests)
        .where(eq(helpRequests.askerId, USER))
        .orderBy(desc(helpRequests.id))
        .limit(1);
      expect([splitTopic(text).question, text]).toContain(asked?.question);
      expect(asked).toMatchObject({ channelId: 'C0HELP', messageTs: expect.any(String) });
    }));

  it('/feedback: opens the form, refuses, or stores exactly the feedback typed', () =>
    fuzz(feedbackLine, async (line) => {
      const parsed = parseFeedbackText(decodeSlackText(line));
      const text = feedbackTextSchema.safeParse(parsed.text);
      const before = await snapshotDatabase(t);
      const { reply, opened } = await runCommand(t, { command: '/feedback', text: line, user_id: USER });
      if (reply) expectClearMessage(reply.text);
      if (line.trim() === '')
        return void (expect(opened?.args.view).toMatchObject({ callback_id: 'feedback_modal' }),
        await expectUnchanged(t, before));
      if (!text.success)
        return void (expect(reply?.text).toContain(text.error.issues[0]!.message), await expectUnchanged(t, before));
      const [stored] = await t.deps.db
        .select()
        .from(feedbackItems)
        .where(eq(feedbackItems.loggedBy, USER))
        .orderBy(desc(feedbackItems.createdAt))
        .limit(1);
      expect(stored).toMatchObject({ text: text.data, customer: parsed.customer ?? null, capturedVia: 'command' });
      if (parsed.themes.length > 0) expect(stored?.themes).toEqual(parsed.themes);
    }));

  it('every command in the manifest answers any text clearly, whoever types it', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
      features: { slash_commands: { command: string }[] };
    };
    const commands = manifest.features.slash_commands.map((c) => c.command);
    await fuzz(
      fc.tuple(fc.constantFrom(...commands), nastyText, fc.constantFrom(ADMIN, USER)),
      async ([command, text, user]) => {
        const { reply, opened } = await runCommand(t, { command, text, user_id: user });
        if (reply) expectClearMessage(reply.text);
        else expect(opened?.rejected).toBeUndefined();
      },
      40,
    );
  });
});
