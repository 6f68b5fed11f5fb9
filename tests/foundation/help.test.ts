// Help, usage and Home as people read them: one screen of help, details per area with examples,
// and no `<placeholder>` anywhere, since Slack reads `<…>` as a link or a mention.
import { describe, expect, it } from 'vitest';
import { DEPT_USAGE } from '../../src/departments/departments.commands.ts';
import { DIGEST_USAGE } from '../../src/digests/digests.commands.ts';
import { ESCALATE_USAGE } from '../../src/escalations/escalations.commands.ts';
import { THEME_USAGE } from '../../src/feedback/feedback.commands.ts';
import { SKILLS_USAGE } from '../../src/help-requests/skills.models.ts';
import { SHADOW_USAGE } from '../../src/rotations/rotations.commands.ts';
import { formatUsage } from '../../src/slack/frontline-command.ts';
import { runCommand } from '../support/outcomes.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const AGENT = 'U0AGENT1';
const AREAS = ['escalations', 'ask', 'feedback', 'digest', 'departments', 'shadowing', 'settings', 'webhooks'];

/** `<…>` that Slack turns into something the app meant: a person, a channel, a date, a link. */
const SLACK_TOKEN =
  /^<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>]*)?|!date\^[^<>]+|(?:https?:\/\/|mailto:)[^<>\s|]+(?:\|[^<>]*)?)>/;

/** Every string in a reply or a view, wherever it sits. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(stringsIn)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(stringsIn)
        : [];

/** The `<…>` in `text` that are not tokens the app meant. */
const rawPlaceholders = (text: string) =>
  [...text.matchAll(/</g)].map((m) => text.slice(m.index)).filter((rest) => !SLACK_TOKEN.test(rest));

function expectNoRawPlaceholder(value: unknown, what: string) {
  for (const text of stringsIn(value)) expect(rawPlaceholders(text), `${what}: ${text}`).toEqual([]);
}

async function say(command: string, text: string, user = ADMIN) {
  const { reply } = await runCommand(t, { command, text, user_id: user });
  expect(reply, `a reply to ${command} ${text}`).toBeDefined();
  return reply!.body as { text: string; blocks?: unknown };
}

/** Lines as Slack shows them: every line of every block's text, the header included. */
const linesOf = (body: { blocks?: unknown }) =>
  stringsIn(
    (body.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[]).map((b) =>
      b.text ? b.text.text : (b.elements ?? []).map((e) => e.text),
    ),
  ).flatMap((text) => text.split('\n'));

describe('/frontline help', () => {
  it('fits one screen: a line per capability, each pointing to its details', async () => {
    const help = await say('/frontline', 'help', AGENT);
    const lines = linesOf(help);
    expect(lines.length).toBeLessThanOrEqual(25);
    for (const area of AREAS) expect(lines.join('\n')).toContain(`\`/frontline help ${area}\``);
    expect((await say('/frontline', '', AGENT)).text).toBe(help.text);
  });

  it.each(AREAS)(
    '`/frontline help %s` gives that area’s commands, each runnable as shown or by its example',
    async (area) => {
      const details = await say('/frontline', `help ${area}`, AGENT);
      const lines = details.text.split('\n').filter((line) => line.startsWith('• '));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines.filter((l) => /^• `[^`]*` _/.test(l)))
        expect(details.text.split(line)[1]?.split('\n')[1], line).toMatch(/^\s+e\.g\. `\//);
    },
  );

  it('shows the areas for an unknown area or command', async () => {
    expect((await say('/frontline', 'help frobnicate', AGENT)).text).toContain('There is no help on `frobnicate`');
    expect((await say('/frontline', 'frobnicate', AGENT)).text).toContain('I don’t know `/frontline frobnicate`');
  });
});

describe('no raw placeholder', () => {
  it('formats a usage with its fixed words as code and what to fill in in italics', () => {
    expect(formatUsage('/frontline dept add <key> <#channel> [display name]')).toBe(
      '`/frontline dept add` _key_ _#channel_ [display name]',
    );
    expect(formatUsage('/ask list')).toBe('`/ask list`');
  });

  it('in every usage of every command', () => {
    const usages = [DEPT_USAGE, DIGEST_USAGE, ESCALATE_USAGE, THEME_USAGE, SKILLS_USAGE, SHADOW_USAGE].flatMap((u) =>
      Object.values(u),
    );
    for (const usage of usages) expectNoRawPlaceholder(formatUsage(usage), usage);
  });

  it('in help, every area and every command’s own help', async () => {
    expectNoRawPlaceholder(await say('/frontline', 'help', AGENT), '/frontline help');
    for (const area of AREAS) expectNoRawPlaceholder(await say('/frontline', `help ${area}`), `help ${area}`);
    expectNoRawPlaceholder(await say('/escalate', 'help'), '/escalate help');
    expectNoRawPlaceholder(await say('/shadow', 'help'), '/shadow help');
  });

  it.each([
    ['/frontline', 'dept'],
    ['/frontline', 'dept add'],
    ['/frontline', 'dept frob'],
    ['/frontline', 'dept sla billing whenever 1 2'],
    ['/frontline', 'dept leads billing maria'],
    ['/frontline', 'set colour blue'],
    ['/frontline', 'set timezone Mars/Olympus'],
    ['/frontline', 'set help-channel'],
    ['/frontline', 'skills'],
    ['/frontline', 'skills add'],
    ['/frontline', 'skills who sql, go'],
    ['/frontline', 'skills who nobody-knows-this'],
    ['/frontline', 'theme add'],
    ['/frontline', 'theme juggle'],
    ['/frontline', 'digest schedule "every day"'],
    ['/frontline', 'digest juggle'],
    ['/shadow', 'away yesterday'],
    ['/shadow', 'edit'],
    ['/shadow', 'juggle'],
    ['/ask', 'hi'],
  ])('in the refusal of `%s %s`', async (command, text) => {
    expectNoRawPlaceholder(await say(command, text), `${command} ${text}`);
  });

  it('in App Home for an admin and for an agent', async () => {
    t.fake.setUser({ id: AGENT, is_admin: false });
    for (const user of [ADMIN, AGENT]) {
      await t.driver.event({ type: 'app_home_opened', user, channel: `D0${user}`, tab: 'home' });
      const home = await t.fake.waitForCall('views.publish', (c) => c.args.user_id === user);
      expectNoRawPlaceholder(home.args.view, `Home of ${user}`);
    }
  });
});
