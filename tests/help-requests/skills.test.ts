// The opt-in expert pool: `/frontline skills …`.
import { describe, expect, it } from 'vitest';
import { createSkillsRepository } from '../../src/help-requests/skills.repository.ts';
import { command, useHelpTestApp } from './help-test-helpers.ts';

const t = useHelpTestApp();
const skills = (text: string, user: string) =>
  command(t, '/frontline', `skills ${text}`.trim(), user).then((r) => r.text);
const mine = (user: string) => createSkillsRepository(t.deps).of(user);

describe('/frontline skills', () => {
  it('adds skills (normalised, once each), lists mine and removes some', async () => {
    expect(await skills('', 'U0SK1')).toContain('You have not listed any skills yet');
    expect(await skills('add SQL,  Data   Science, sql', 'U0SK1')).toContain('Added `sql`, `data science`');
    expect(await skills('add sql', 'U0SK1')).toContain('Your skills: `data science`, `sql`');
    expect(await mine('U0SK1')).toEqual(['data science', 'sql']);
    expect(await skills('', 'U0SK1')).toContain('Your skills: `data science`, `sql`');

    const removed = await skills('remove sql, kubernetes', 'U0SK1');
    expect(removed).toContain('Removed `sql`');
    expect(removed).toContain('You had not listed `kubernetes`');
    expect(await mine('U0SK1')).toEqual(['data science']);
  });

  it('says who knows a skill', async () => {
    await skills('add refunds', 'U0SK2');
    await skills('add Refunds, vpn', 'U0SK3');
    expect(await skills('who REFUNDS', 'U0ANY')).toContain('People who know `refunds`: <@U0SK2> <@U0SK3>');
    expect(await skills('who underwater basket weaving', 'U0ANY')).toContain(
      'Nobody has listed `underwater basket weaving` yet',
    );
  });

  it.each([
    ['add', 'Name at least one skill.'],
    ['add ,,', 'Name at least one skill.'],
    [`add ${'x'.repeat(41)}`, 'keep each skill under 40 characters'],
    ['add <script>', 'is not a skill I can store'],
    ['who sql, vpn', 'Ask about one skill at a time.'],
    ['juggle sql', 'I don’t know `skills juggle`'],
  ])('answers `skills %s` with the problem and the usage, storing nothing', async (text, problem) => {
    const reply = await skills(text, 'U0SKBAD');
    expect(reply).toContain(problem);
    expect(reply).toContain('Usage: `/frontline skills');
    expect(await mine('U0SKBAD')).toEqual([]);
  });

  it('is listed in /frontline help, with the nudge setting', async () => {
    const help = await command(t, '/frontline', 'help', 'U0ANY');
    expect(help.text).toContain('`/frontline help ask`');
    const details = await command(t, '/frontline', 'help ask', 'U0ANY');
    expect(details.text).toContain('`/frontline skills add` _skill_[, _skill_ …]');
    expect(details.text).toContain('`/ask` _topic_: _question_');
    const settings = await command(t, '/frontline', 'help settings', 'U0ANY');
    expect(settings.text).toContain('`/frontline set help-nudge-minutes` _minutes_');
  });
});
