import { describe, expect, it } from 'vitest';
import { byTopic, median, rankHelpers, summarizeHelpMetrics } from '../../src/help-requests/metrics.models.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const plus = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 2, 4, 8])).toBe(6);
  });
});

describe('rankHelpers', () => {
  it('counts per person, most first, ties by id, limited', () => {
    const rows = ['U2', 'U1', 'U2', 'U3', 'U1', 'U2', 'U4'].map((userId) => ({ userId }));
    expect(rankHelpers(rows, 3)).toEqual([
      { userId: 'U2', helped: 3 },
      { userId: 'U1', helped: 2 },
      { userId: 'U3', helped: 1 },
    ]);
  });
});

describe('summarizeHelpMetrics', () => {
  it('counts asked, answered and solved, with median times and per topic numbers', () => {
    const requests = [
      { createdAt: t0, firstHelpedAt: plus(4), solvedAt: plus(30), topic: 'billing' },
      { createdAt: t0, firstHelpedAt: plus(10), solvedAt: null, topic: 'billing' },
      { createdAt: t0, firstHelpedAt: plus(20), solvedAt: plus(90), topic: null },
      { createdAt: t0, firstHelpedAt: null, solvedAt: null, topic: 'sso' },
      { createdAt: t0, firstHelpedAt: null, solvedAt: plus(5), topic: null },
    ];
    const metrics = summarizeHelpMetrics(requests, [{ userId: 'UA' }, { userId: 'UB' }, { userId: 'UA' }]);
    expect(metrics).toMatchObject({
      asked: 5,
      answered: 3,
      solved: 3,
      medianMinutesToFirstHelper: 10,
      medianMinutesToSolve: 30,
    });
    expect(metrics.topHelpers).toEqual([
      { userId: 'UA', helped: 2 },
      { userId: 'UB', helped: 1 },
    ]);
    expect(metrics.byTopic).toEqual([
      { topic: 'billing', asked: 2, answered: 2, solved: 1 },
      { topic: 'sso', asked: 1, answered: 0, solved: 0 },
      { topic: null, asked: 2, answered: 1, solved: 2 },
    ]);
  });

  it('reports an empty range as zeros with no medians', () => {
    expect(summarizeHelpMetrics([], [])).toEqual({
      asked: 0,
      answered: 0,
      solved: 0,
      medianMinutesToFirstHelper: null,
      medianMinutesToSolve: null,
      topHelpers: [],
      byTopic: [],
    });
    expect(byTopic([])).toEqual([]);
  });
});
