// Help requests' part of the weekly digest: asked, answered, solved, speed of the first helper, top helpers.
import type { DigestSection, Insight, SectionView } from '../digests/digests.models.ts';
import { describeChange, describeDuration } from '../digests/digests.models.ts';
import { section } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { HelpRequestsRepository } from './help-requests.repository.ts';
import type { HelpMetrics } from './metrics.models.ts';

export interface HelpRequestsDigestData {
  current: HelpMetrics;
  previous: HelpMetrics;
  /** A topic that is a department, by the department's name as it was written; skills show as listed. */
  topicNames?: Record<string, string>;
}

/** Weeks with fewer requests than this say too little to call a trend. */
const MIN_FOR_TREND = 3;
const NOTABLE_SHARE_SHIFT = 0.2;
const TOP_HELPERS = 3;
const TOP_TOPICS = 3;

const answeredShare = (m: HelpMetrics) => (m.asked === 0 ? null : m.answered / m.asked);

/** The share of requests that found a helper, falling or rising notably against the week before. */
export function helpRequestInsights({ current, previous }: HelpRequestsDigestData): Insight[] {
  if (current.asked < MIN_FOR_TREND || previous.asked < MIN_FOR_TREND) return [];
  const delta = answeredShare(current)! - answeredShare(previous)!;
  const counts = `${current.answered} of ${current.asked}`;
  const before = `${previous.answered} of ${previous.asked}`;
  if (delta <= -NOTABLE_SHARE_SHIFT) {
    return [
      {
        kind: 'declined',
        text: `:warning: Fewer help requests found a helper: ${counts}, down from ${before} the week before.`,
        weight: 6 - delta * 10,
      },
    ];
  }
  if (delta >= NOTABLE_SHARE_SHIFT) {
    return [
      {
        kind: 'improved',
        text: `:white_check_mark: More help requests found a helper: ${counts}, up from ${before} the week before.`,
        weight: 5 + delta * 10,
      },
    ];
  }
  return [];
}

/** The help requests section: counts and speed against last week, then who helped most and top topics. */
export function renderHelpRequestsSection({ current, previous, topicNames = {} }: HelpRequestsDigestData): SectionView {
  const lines: string[] = [];
  if (current.medianMinutesToSolve !== null)
    lines.push(`Median time to solve *${describeDuration(current.medianMinutesToSolve)}*`);
  const helpers = current.topHelpers.slice(0, TOP_HELPERS).map((h) => `<@${h.userId}> ${h.helped}`);
  if (helpers.length > 0) lines.push(`Top helpers: ${helpers.join(' · ')}`);
  const topics = current.byTopic
    .filter((t) => t.topic !== null)
    .slice(0, TOP_TOPICS)
    .map((t) => `${escapeMrkdwn(topicNames[t.topic!] ?? t.topic!)} ${t.asked}`);
  if (topics.length > 0) lines.push(`Most asked about: ${topics.join(' · ')}`);
  return {
    title: ':raising_hand: Help requests',
    figures: [
      { label: 'Asked', value: current.asked, previous: previous.asked },
      { label: 'Found a helper', value: answeredShare(current), previous: answeredShare(previous), kind: 'share' },
      { label: 'Solved', value: current.solved, previous: previous.solved },
      {
        label: 'Median time to first helper',
        value: current.medianMinutesToFirstHelper,
        previous: previous.medianMinutesToFirstHelper,
        kind: 'minutes',
      },
    ],
    details: lines.length > 0 ? [section(lines.join('\n'))] : [],
  };
}

export function createHelpRequestsDigestSection({
  repo,
  departmentName,
}: {
  repo: HelpRequestsRepository;
  departmentName(key: string): Promise<string | undefined>;
}): DigestSection<HelpRequestsDigestData> {
  return {
    id: 'help-requests',
    order: 30,
    load: async ({ current, previous }) => {
      const [now, before] = await Promise.all([
        repo.metrics({ from: current.start, to: current.end }),
        repo.metrics({ from: previous.start, to: previous.end }),
      ]);
      const topics = now.byTopic.flatMap((t) => (t.topic === null ? [] : [t.topic])).slice(0, TOP_TOPICS);
      const names = await Promise.all(topics.map(async (topic) => [topic, await departmentName(topic)] as const));
      const topicNames = Object.fromEntries(names.filter((n): n is [string, string] => n[1] !== undefined));
      return { current: now, previous: before, topicNames };
    },
    hasData: ({ current }) => current.asked > 0 || current.topHelpers.length > 0,
    render: renderHelpRequestsSection,
    summary: ({ current, previous }) =>
      `Help requests: ${current.asked} asked (${describeChange(current.asked, previous.asked)}), ${current.answered} answered, ${current.solved} solved.`,
    insights: helpRequestInsights,
  };
}
