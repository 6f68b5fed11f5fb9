// Pure parsing rules: `/shadow` text and away dates.
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { parseShadowCommand } from '../../src/rotations/rotations.commands.ts';
import { parseAwayRange } from '../../src/rotations/rotations.models.ts';

describe('parseShadowCommand', () => {
  it.each([
    ['', { action: 'next' }],
    ['schedule', { action: 'schedule' }],
    ['schedule Engineering shadows', { action: 'schedule', rotation: 'Engineering shadows' }],
    ['stats "Eng team"', { action: 'stats', rotation: 'Eng team' }],
    ['away 2026-03-16 2026-03-20', { action: 'away', args: ['2026-03-16', '2026-03-20'] }],
    ['optout  busy this quarter ', { action: 'optout', reason: 'busy this quarter' }],
    ['OPTIN', { action: 'optin' }],
    ['pause Sales', { action: 'pause', rotation: 'Sales' }],
  ])('reads `/shadow %s`', (text, expected) => {
    expect(parseShadowCommand(text)).toEqual(expected);
  });

  it('explains unknown subcommands and missing rotation names with the usage', () => {
    for (const text of ['frobnicate', 'delete']) {
      let error: unknown;
      try {
        parseShadowCommand(text);
      } catch (e) {
        error = e;
      }
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toContain('Usage:');
    }
  });
});

describe('parseAwayRange', () => {
  const today = '2026-03-10';
  it('takes one day or an inclusive range, clipping a start in the past to today', () => {
    expect(parseAwayRange(['2026-03-12'], today)).toEqual({ from: '2026-03-12', to: '2026-03-12' });
    expect(parseAwayRange(['2026-03-01', '2026-03-20'], today)).toEqual({ from: today, to: '2026-03-20' });
  });
  it.each([
    [[], 'Give the first day'],
    [['2026-13-01'], 'is not a date'],
    [['16/03/2026'], 'is not a date'],
    [['2026-03-09'], 'in the past'],
    [['2026-03-20', '2026-03-12'], 'before the first'],
    [['2026-03-12', '2026-03-13', '2026-03-14'], 'Give the first day'],
  ])('refuses %j', (args, problem) => {
    expect((parseAwayRange(args, today) as { error: string }).error).toContain(problem);
  });
});
