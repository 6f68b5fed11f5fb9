import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesSkills, resolveTopic, splitTopic, startOfMonth } from '../../src/help-requests/help-requests.models.ts';
import { parseSkillsCommand } from '../../src/help-requests/skills.models.ts';

describe('splitTopic', () => {
  it.each([
    ['billing: Why was Acme charged twice?', { topic: 'billing', question: 'Why was Acme charged twice?' }],
    ['  Data   Science :  which model?', { topic: 'data science', question: 'which model?' }],
    ['c++: segfault in the SDK', { topic: 'c++', question: 'segfault in the SDK' }],
    ['IT: laptop\nwon’t boot', { topic: 'it', question: 'laptop\nwon’t boot' }],
    ['How do I extend a trial?', { question: 'How do I extend a trial?' }],
    ['See https://example.com/x for details', { question: 'See https://example.com/x for details' }],
    ['https://example.com: is it down?', { question: 'https://example.com: is it down?' }],
    ['10:30 meeting moved, who knows why?', { question: '10:30 meeting moved, who knows why?' }],
    ['billing:', { question: 'billing:' }],
    [
      'a very long clause that is surely not a topic name at all: really',
      { question: 'a very long clause that is surely not a topic name at all: really' },
    ],
  ])('reads %j', (text, expected) => {
    expect(splitTopic(text)).toEqual(expected);
  });

  it('never loses words: topic and question together hold all of the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const { topic, question } = splitTopic(text);
        const squash = (s: string) => s.toLowerCase().replace(/[\s:]/g, '');
        expect(squash(`${topic ?? ''}${question}`)).toBe(squash(text));
      }),
    );
  });
});

describe('resolveTopic', () => {
  it('keeps a known topic and folds an unknown one back into the question', () => {
    const known = (t: string) => t === 'billing';
    expect(resolveTopic(splitTopic('billing: refund?'), 'billing: refund?', known)).toEqual({
      topic: 'billing',
      question: 'refund?',
    });
    expect(resolveTopic(splitTopic('Note: customer is angry'), 'Note: customer is angry', known)).toEqual({
      question: 'Note: customer is angry',
    });
  });
});

describe('matchesSkills', () => {
  it('matches the topic or a whole word of the question', () => {
    expect(matchesSkills({ topic: 'sso', question: 'login loops' }, ['sso'])).toBe(true);
    expect(matchesSkills({ topic: null, question: 'Where is the SQL console?' }, ['sql'])).toBe(true);
    expect(matchesSkills({ topic: null, question: 'Ask about data science plans' }, ['data science'])).toBe(true);
    expect(matchesSkills({ topic: null, question: 'mysqlx is slow' }, ['sql'])).toBe(false);
    expect(matchesSkills({ topic: null, question: 'c++ build fails' }, ['c++'])).toBe(true);
    expect(matchesSkills({ topic: 'vpn', question: 'anything' }, [])).toBe(false);
  });
});

describe('startOfMonth', () => {
  it('uses the workspace zone', () => {
    expect(startOfMonth(new Date('2026-03-01T02:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-02-01T05:00:00.000Z',
    );
    expect(startOfMonth(new Date('2026-03-01T02:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-02-28T23:00:00.000Z',
    );
  });
});

describe('parseSkillsCommand', () => {
  it('reads each form', () => {
    expect(parseSkillsCommand('')).toEqual({ action: 'mine' });
    expect(parseSkillsCommand('add SQL, Data  Science,sql')).toEqual({
      action: 'add',
      skills: ['sql', 'data science'],
    });
    expect(parseSkillsCommand('remove vpn')).toEqual({ action: 'remove', skills: ['vpn'] });
    expect(parseSkillsCommand('who Data Science')).toEqual({ action: 'who', skill: 'data science' });
    expect(() => parseSkillsCommand('add')).toThrow('Name at least one skill.');
  });
});
