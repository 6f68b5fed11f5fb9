// Feedback's part of the weekly digest: volume, themes, sentiment, quotes and insights.
import { PALETTE } from '../digests/digests.chart.ts';
import type { ChartGroup, DigestSection, Insight, SectionView } from '../digests/digests.models.ts';
import { describeChange, describeTrend } from '../digests/digests.models.ts';
import { section, truncate } from '../slack/blocks.ts';
import { escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { SENTIMENT_EMOJI, SENTIMENT_LABELS } from './feedback.models.ts';
import type { FeedbackMetrics, FeedbackRepository } from './feedback.repository.ts';

export interface FeedbackDigestData {
  current: FeedbackMetrics;
  previous: FeedbackMetrics;
}

const MIN_FOR_TREND = 2;
const NOTABLE_SHIFT = 0.25;

/** Net sentiment from −1 (all negative) to 1 (all positive). */
const net = (t: { positive: number; negative: number; total: number }) =>
  t.total === 0 ? 0 : (t.positive - t.negative) / t.total;
const negativeShare = (t: { negative: number; total: number }) => `${t.negative} of ${t.total} negative`;

/** Emerging themes (new or fastest-growing), the most improved and the notable decline. */
export function feedbackInsights({ current, previous }: FeedbackDigestData): Insight[] {
  const before = new Map(previous.byTheme.map((t) => [t.theme, t]));
  const insights: Insight[] = [];

  const emerging = current.byTheme
    .map((t) => ({ t, prev: before.get(t.theme)?.total ?? 0 }))
    .filter(({ t, prev }) => (prev === 0 ? t.total >= MIN_FOR_TREND : t.total >= 3 && t.total >= prev * 1.5))
    .sort((a, b) => Number(a.prev > 0) - Number(b.prev > 0) || b.t.total - b.prev - (a.t.total - a.prev))[0]; // a brand-new theme is the bigger news
  if (emerging) {
    const { t, prev } = emerging;
    insights.push({
      kind: 'emerging',
      text:
        prev === 0
          ? `:seedling: New theme *${t.theme}*: ${t.total} mentions this week, none the week before.`
          : `:chart_with_upwards_trend: *${t.theme}* is growing fastest: ${t.total} mentions, up from ${prev}.`,
      weight: 10 + t.total - prev,
    });
  }

  const shifts = current.byTheme
    .map((t) => ({ t, prev: before.get(t.theme) }))
    .filter(
      (s): s is { t: (typeof current.byTheme)[number]; prev: NonNullable<typeof s.prev> } =>
        !!s.prev && s.t.total >= MIN_FOR_TREND && s.prev.total >= MIN_FOR_TREND,
    )
    .map((s) => ({ ...s, delta: net(s.t) - net(s.prev) }));
  const improved = shifts.filter((s) => s.delta >= NOTABLE_SHIFT).sort((a, b) => b.delta - a.delta)[0];
  if (improved) {
    insights.push({
      kind: 'improved',
      text: `:white_check_mark: *${improved.t.theme}* improved most: ${negativeShare(improved.t)}, down from ${negativeShare(improved.prev)}.`,
      weight: 5 + improved.delta * 10,
    });
  }
  const declined = shifts.filter((s) => s.delta <= -NOTABLE_SHIFT).sort((a, b) => a.delta - b.delta)[0];
  if (declined) {
    insights.push({
      kind: 'declined',
      text: `:warning: *${declined.t.theme}* is getting worse: ${negativeShare(declined.t)}, up from ${negativeShare(declined.prev)}.`,
      weight: 6 + -declined.delta * 10,
    });
  }
  return insights;
}

/** The feedback section: volume and sentiment against last week, top themes, three quotes with links. */
export function renderFeedbackSection({ current, previous }: FeedbackDigestData): SectionView {
  const before = new Map(previous.byTheme.map((t) => [t.theme, t.total]));
  const themes = current.byTheme.slice(0, 8).map((t) => {
    const trend = describeTrend({ label: '', value: t.total, previous: before.get(t.theme) ?? 0 });
    const split = SENTIMENT_LABELS.filter((l) => t[l] > 0).map((l) => `${t[l]} ${l}`);
    return `• *${t.theme}* ${t.total}${trend ? ` (${trend})` : ''}: ${split.join(' · ')}`;
  });
  const untagged = '_No themes tagged this week: add some with `/frontline theme add`._';
  const quotes = current.quotes.map((q) => {
    const source = [
      q.customer ? escapeMrkdwn(q.customer) : undefined,
      q.theme ? `#${q.theme}` : undefined,
      q.permalink ? linkTo(q.permalink, 'view message') : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    return `>${SENTIMENT_EMOJI[q.sentimentLabel]} ${escapeMrkdwn(truncate(q.text.replace(/\s+/g, ' '), 280))}${source ? `\n>— ${source}` : ''}`;
  });
  return {
    title: ':speech_balloon: Customer feedback',
    figures: [
      { label: 'Items', value: current.total, previous: previous.total },
      ...(['negative', 'positive', 'neutral'] as const).map((l) => ({
        label: `${SENTIMENT_EMOJI[l]} ${l[0]!.toUpperCase()}${l.slice(1)}`,
        value: current.bySentiment[l],
        previous: previous.bySentiment[l],
      })),
    ],
    details: [
      section(`*By theme*\n${themes.join('\n') || untagged}`),
      ...(quotes.length > 0 ? [section(`*What customers said*\n${quotes.join('\n\n')}`)] : []),
    ],
  };
}

export function createFeedbackDigestSection({ repo }: { repo: FeedbackRepository }): DigestSection<FeedbackDigestData> {
  return {
    id: 'feedback',
    order: 10,
    load: async ({ current, previous }) => ({
      current: await repo.metrics(current),
      previous: await repo.metrics(previous),
    }),
    hasData: (d) => d.current.total > 0,
    render: renderFeedbackSection,
    summary: (d) =>
      `Customer feedback: ${d.current.total} items (${describeChange(d.current.total, d.previous.total)}), ${d.current.bySentiment.negative} negative.`,
    insights: feedbackInsights,
    async chart(weeks): Promise<ChartGroup> {
      const counts = await repo.weeklySentiment(weeks.at(-1)!.end, weeks.length);
      return {
        label: 'Feedback',
        axisTitle: 'items',
        series: [
          { name: 'negative', color: PALETTE.vermillion, values: counts.map((c) => c.negative) },
          { name: 'neutral', color: PALETTE.grey, values: counts.map((c) => c.neutral) },
          { name: 'positive', color: PALETTE.blue, values: counts.map((c) => c.positive) },
        ],
      };
    },
  };
}
