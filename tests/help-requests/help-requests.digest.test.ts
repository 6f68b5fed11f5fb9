// The help requests section of the digest: numbers against last week, top helpers and insights.
import { describe, expect, it } from 'vitest';
import { renderSectionView } from '../../src/digests/digests.models.ts';
import { helpRequestInsights, renderHelpRequestsSection } from '../../src/help-requests/help-requests.digest.ts';
import type { HelpMetrics } from '../../src/help-requests/metrics.models.ts';

const metrics = (m: Partial<HelpMetrics>): HelpMetrics => ({
  asked: 0,
  answered: 0,
  solved: 0,
  medianMinutesToFirstHelper: null,
  medianMinutesToSolve: null,
  topHelpers: [],
  byTopic: [],
  ...m,
});

describe('renderHelpRequestsSection', () => {
  it('shows asked, answered and solved against last week, speed, top helpers and topics', () => {
    const current = metrics({
      asked: 5,
      answered: 4,
      solved: 3,
      medianMinutesToFirstHelper: 13,
      medianMinutesToSolve: 95,
      topHelpers: [
        { userId: 'U0HA', helped: 3 },
        { userId: 'U0HB', helped: 1 },
        { userId: 'U0HC', helped: 1 },
        { userId: 'U0HD', helped: 1 },
      ],
      byTopic: [
        { topic: 'sso', asked: 2, answered: 2, solved: 1 },
        { topic: 'billing', asked: 1, answered: 1, solved: 1 },
        { topic: null, asked: 2, answered: 1, solved: 1 },
      ],
    });
    const text = JSON.stringify(
      renderSectionView(
        renderHelpRequestsSection({
          current,
          previous: metrics({ asked: 4, answered: 2, solved: 1, medianMinutesToFirstHelper: 30 }),
          topicNames: { billing: 'Billing & Payments' },
        }),
      ),
    );
    expect(text).toContain('Asked\\n*5*   ↑ 25%');
    expect(text).toContain('Found a helper\\n*80%*   ↑ 30 pts');
    expect(text).toContain('Solved\\n*3*   ↑ 200%');
    expect(text).toContain('Median time to first helper\\n*13 min*   ↓ 57%');
    expect(text).toContain('Median time to solve *1 h 35 min*');
    expect(text).toContain('Top helpers: <@U0HA> 3 · <@U0HB> 1 · <@U0HC> 1');
    expect(text).not.toContain('U0HD');
    expect(text).toContain('Most asked about: sso 2 · Billing &amp; Payments 1'); // a department by its name as written
  });

  it('leaves out helpers and topics when there are none', () => {
    const text = JSON.stringify(
      renderSectionView(renderHelpRequestsSection({ current: metrics({ asked: 1 }), previous: metrics({}) })),
    );
    expect(text).toContain('Asked\\n*1*   ↑ from 0');
    expect(text).toContain('Found a helper\\n*0%*"');
    expect(text).not.toContain('first helper');
    expect(text).not.toContain('Top helpers');
    expect(text).not.toContain('Most asked about');
  });
});

describe('helpRequestInsights', () => {
  const previous = metrics({ asked: 5, answered: 4 });
  it('calls out a notably lower or higher share of requests that found a helper', () => {
    expect(helpRequestInsights({ current: metrics({ asked: 6, answered: 2 }), previous })).toEqual([
      {
        kind: 'declined',
        text: ':warning: Fewer help requests found a helper: 2 of 6, down from 4 of 5 the week before.',
        weight: 6 + (0.8 - 2 / 6) * 10,
      },
    ]);
    expect(
      helpRequestInsights({
        current: metrics({ asked: 4, answered: 4 }),
        previous: metrics({ asked: 4, answered: 2 }),
      })[0],
    ).toMatchObject({
      kind: 'improved',
      text: ':white_check_mark: More help requests found a helper: 4 of 4, up from 2 of 4 the week before.',
    });
  });
  it('stays quiet on a steady share or too few requests', () => {
    expect(helpRequestInsights({ current: metrics({ asked: 5, answered: 4 }), previous })).toEqual([]);
    expect(helpRequestInsights({ current: metrics({ asked: 2, answered: 0 }), previous })).toEqual([]);
  });
});
