import { describe, expect, it } from 'vitest';
import { namesKeyword, suggestDepartment, suggestionReason } from '../../src/escalations/routing.models.ts';

const DEPARTMENTS = [
  { key: 'billing', name: 'Billing', keywords: ['invoice', 'refund', 'charged twice'] },
  { key: 'it', name: 'IT', keywords: ['vpn', 'laptop'] },
  { key: 'legal', name: 'Legal', keywords: [] },
];

describe('suggestDepartment', () => {
  it('picks the team whose keywords the text names, plurals included', () => {
    expect(suggestDepartment('Two refunds missing on the last invoice', DEPARTMENTS, [])).toEqual({
      departmentKey: 'billing',
      matched: ['invoice', 'refund'],
      similarResolved: 0,
    });
  });

  it('matches a phrase keyword only as a phrase', () => {
    const words = 'card was charged twice'.split(' ');
    expect(namesKeyword(words, 'charged twice')).toBe(true);
    expect(namesKeyword('twice charged'.split(' '), 'charged twice')).toBe(false);
  });

  it('follows where similar escalations were resolved when no keyword is named', () => {
    const s = suggestDepartment('Contract clause question', DEPARTMENTS, [
      { departmentKey: 'legal', resolved: 8, reassignedAway: 0 },
      { departmentKey: 'billing', resolved: 2, reassignedAway: 0 },
    ]);
    expect(s).toEqual({ departmentKey: 'legal', matched: [], similarResolved: 8 });
    expect(suggestionReason(s!, 'Legal')).toBe('8 similar escalations resolved by Legal');
  });

  it('counts a reassignment away against a team', () => {
    const s = suggestDepartment('Contract clause question', DEPARTMENTS, [
      { departmentKey: 'billing', resolved: 5, reassignedAway: 4 },
      { departmentKey: 'legal', resolved: 3, reassignedAway: 0 },
    ]);
    expect(s?.departmentKey).toBe('legal');
  });

  it('lets a named keyword outweigh history, and history break a keyword tie', () => {
    const history = [{ departmentKey: 'legal', resolved: 20, reassignedAway: 0 }];
    expect(suggestDepartment('VPN down', DEPARTMENTS, history)?.departmentKey).toBe('it');
    const tie = [{ departmentKey: 'it', resolved: 3, reassignedAway: 0 }];
    expect(suggestDepartment('invoice laptop', DEPARTMENTS, tie)?.departmentKey).toBe('it');
  });

  it('suggests nothing when nothing points anywhere', () => {
    expect(suggestDepartment('Hello there', DEPARTMENTS, [])).toBeUndefined();
  });

  it('says why', () => {
    expect(
      suggestionReason({ departmentKey: 'billing', matched: ['invoice', 'refund'], similarResolved: 1 }, 'Billing'),
    ).toBe('matches invoice, refund; 1 similar escalation resolved by Billing');
  });
});
