// The feedback section of the digest: numbers, quotes and insights from hand-made metrics.
import { describe, expect, it } from 'vitest';
import { renderSectionView } from '../../src/digests/digests.models.ts';
import { feedbackInsights, renderFeedbackSection } from '../../src/feedback/feedback.digest.ts';
import type { FeedbackMetrics } from '../../src/feedback/feedback.repository.ts';

const theme = (name: string, positive: number, neutral: number, negative: number) => ({
  theme: name,
  positive,
  neutral,
  negative,
  total: positive + neutral + negative,
});
const metrics = (byTheme: ReturnType<typeof theme>[], quotes: FeedbackMetrics['quotes'] = []): FeedbackMetrics => {
  const sum = (k: 'positive' | 'neutral' | 'negative') => byTheme.reduce((s, t) => s + t[k], 0);
  const bySentiment = { positive: sum('positive'), neutral: sum('neutral'), negative: sum('negative') };
  return { total: bySentiment.positive + bySentiment.neutral + bySentiment.negative, bySentiment, byTheme, quotes };
};

describe('feedbackInsights', () => {
  it('finds a new theme, the most improved and the notable decline', () => {
    const previous = metrics([theme('billing', 2, 0, 0), theme('speed', 0, 0, 3)]);
    const current = metrics([theme('billing', 0, 1, 3), theme('speed', 2, 0, 0), theme('sso', 0, 0, 2)]);
    const kinds = Object.fromEntries(feedbackInsights({ current, previous }).map((i) => [i.kind, i.text]));
    expect(kinds.emerging).toContain('New theme *sso*: 2 mentions');
    expect(kinds.improved).toContain('*speed* improved most: 0 of 2 negative, down from 3 of 3 negative');
    expect(kinds.declined).toContain('*billing* is getting worse: 3 of 4 negative, up from 0 of 2 negative');
  });

  it('names the fastest-growing theme when none is new, and stays quiet on small or steady weeks', () => {
    const growing = feedbackInsights({
      previous: metrics([theme('a', 1, 1, 0), theme('b', 1, 0, 0)]),
      current: metrics([theme('a', 3, 3, 0), theme('b', 1, 0, 0)]),
    });
    expect(growing.map((i) => i.text)).toEqual([
      ':chart_with_upwards_trend: *a* is growing fastest: 6 mentions, up from 2.',
    ]);
    expect(
      feedbackInsights({
        previous: metrics([theme('a', 1, 0, 0)]),
        current: metrics([theme('a', 1, 0, 0), theme('b', 0, 0, 1)]),
      }),
    ).toEqual([]);
  });
});

describe('renderFeedbackSection', () => {
  it('shows volume against last week, themes with their sentiment and quotes with links', () => {
    const quote = {
      id: 'q1',
      text: 'Charged twice!\nAwful',
      customer: 'Acme',
      permalink: 'https://x.slack.com/p1',
      sentimentLabel: 'negative' as const,
      receivedAt: new Date(),
      theme: 'billing',
    };
    const text = JSON.stringify(
      renderSectionView(
        renderFeedbackSection({
          current: metrics([theme('billing', 1, 0, 3)], [quote]),
          previous: metrics([theme('billing', 1, 1, 0)]),
        }),
      ),
    );
    expect(text).toContain('"text":"Items\\n*4*   ↑ 100%"');
    expect(text).toContain('"text":":red_circle: Negative\\n*3*   ↑ from 0"');
    expect(text).toContain('*billing* 4 (↑ 100%): 1 positive · 3 negative');
    expect(text).toContain(
      '>:red_circle: Charged twice! Awful\\n>— Acme · #billing · <https://x.slack.com/p1|view message>',
    );
  });
});
