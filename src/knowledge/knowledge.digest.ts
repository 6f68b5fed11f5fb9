// Service knowledge's part of the weekly digest: questions answered before anyone asked, answers
// added, the most used, and the knowledge gaps (what people looked for and nobody has answered).
import { type DigestSection, describeTrend, type Insight, type SectionView } from '../digests/digests.models.ts';
import { section, truncate } from '../slack/blocks.ts';
import { escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import type { KnowledgeMetrics, KnowledgeRepository } from './knowledge.repository.ts';

export interface KnowledgeDigestData {
  current: KnowledgeMetrics;
  previous: Pick<KnowledgeMetrics, 'deflected' | 'added'>;
  /** How often each of this week's gap topics went unanswered the week before. */
  gapsBefore: Map<string, number>;
}

/** The knowledge section: answers added and questions answered before posting, the most used, the gaps. */
export function renderKnowledgeSection({ current, previous, gapsBefore }: KnowledgeDigestData): SectionView {
  const used = current.mostUsed.map(
    (a) =>
      `• ${a.permalink ? linkTo(a.permalink, truncate(a.title, 80)) : escapeMrkdwn(truncate(a.title, 80))} · used ${a.uses}×`,
  );
  const gaps = current.gaps.map((g) => {
    const trend = describeTrend({ label: '', value: g.asked, previous: gapsBefore.get(g.topic) ?? 0 });
    return `• “${escapeMrkdwn(truncate(g.example, 80))}” · asked ${g.asked}×${trend ? ` (${trend})` : ''}`;
  });
  return {
    title: ':books: Answers',
    figures: [
      { label: 'Answers added', value: current.added, previous: previous.added },
      // Shown once suggestions have answered a question (both weeks at zero says nothing).
      ...(current.deflected + previous.deflected > 0
        ? [{ label: 'Answered before posting', value: current.deflected, previous: previous.deflected }]
        : []),
    ],
    details: [
      ...(used.length > 0 ? [section(`*Most used*\n${used.join('\n')}`)] : []),
      ...(gaps.length > 0
        ? [
            section(
              `*Knowledge gaps*: asked with no answer yet\n${gaps.join('\n')}\n_Answer one with the *Save as answer* shortcut._`,
            ),
          ]
        : []),
    ],
  };
}

/** A gap asked three times or more that nobody has answered is worth a leader's attention. */
export function knowledgeInsights({ current }: KnowledgeDigestData): Insight[] {
  const top = current.gaps[0];
  if (!top || top.asked < 3) return [];
  return [
    {
      kind: 'emerging',
      text: `:mag: “${escapeMrkdwn(truncate(top.example, 80))}” was asked ${top.asked} times this week with no saved answer.`,
      weight: 4 + top.asked,
    },
  ];
}

export function createKnowledgeDigestSection({
  repo,
}: {
  repo: KnowledgeRepository;
}): DigestSection<KnowledgeDigestData> {
  return {
    id: 'knowledge',
    order: 35,
    async load({ current, previous }) {
      const now = await repo.metrics(current);
      const before = await repo.metrics(previous);
      return {
        current: now,
        previous: { deflected: before.deflected, added: before.added },
        gapsBefore: await repo.gapCounts(
          previous,
          now.gaps.map((g) => g.topic),
        ),
      };
    },
    hasData: (d) => d.current.deflected + d.current.added + d.current.mostUsed.length + d.current.gaps.length > 0,
    render: renderKnowledgeSection,
    summary: (d) =>
      `Answers: ${d.current.deflected} questions answered before posting, ${d.current.added} added, ${d.current.gaps.length} gaps.`,
    insights: knowledgeInsights,
  };
}
