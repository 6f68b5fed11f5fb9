// Help requests' part of the weekly digest: asked, answered, solved, speed of the first helper, top helpers.
import type { DigestSection, Insight } from '../digests/digests.models.ts';
import { describeChange, describeDuration, describeShare } from '../digests/digests.models.ts';
import { type Blocks, section } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { HelpRequestsRepository } from './help-requests.repository.ts';
import type { HelpMetrics } from './metrics.models.ts';

export interface HelpRequestsDigestData {
  current: HelpMetrics;
  previous: HelpMetrics;
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
    return [{ kind: 'declined', text: `:warning: Fewer help requests found a helper: ${counts}, down from ${before} the week before.`, weight: 6 - delta * 10 }];
  }
  if (delta >= NOTABLE_SHARE_SHIFT) {
    return [{ kind: 'improved', text: `:white_check_mark: More help requests found a helper: ${counts}, up from ${before} the week before.`, weight: 5 + delta * 10 }];
  }
  return [];
}

/** The help requests section's blocks: counts against last week, speed, who helped most, top topics. */
export function renderHelpRequestsSection({ current, previous }: HelpRequestsDigestData): Blocks {
  const lines = [
    `*${current.asked}* asked (${describeChange(current.asked, previous.asked)} vs ${previous.asked} the week before) · *${current.answered}* answered (${describeShare(answeredShare(current))}) · *${current.solved}* solved (was ${previous.solved})`,
    `Median time to first helper *${describeDuration(current.medianMinutesToFirstHelper)}* (was ${describeDuration(previous.medianMinutesToFirstHelper)}) · to solve *${describeDuration(current.medianMinutesToSolve)}* (was ${describeDuration(previous.medianMinutesToSolve)})`,
  ];
  const helpers = current.topHelpers.slice(0, TOP_HELPERS).map((h) => `<@${h.userId}> ${h.helped}`);
  if (helpers.length > 0) lines.push(`Top helpers: ${helpers.join(' · ')}`);
  const topics = current.byTopic.filter((t) => t.topic !== null).slice(0, TOP_TOPICS).map((t) => `${escapeMrkdwn(t.topic!)} ${t.asked}`);
  if (topics.length > 0) lines.push(`Most asked about: ${topics.join(' · ')}`);
  return [section(`*:raising_hand: Help requests*\n${lines.join('\n')}`)];
}

export function createHelpRequestsDigestSection({ repo }: { repo: HelpRequestsRepository }): DigestSection<HelpRequestsDigestData> {
  return {
    id: 'help-requests',
    order: 30,
    load: async ({ current, previous }) => {
      const [now, before] = await Promise.all([repo.metrics({ from: current.start, to: current.end }), repo.metrics({ from: previous.start, to: previous.end })]);
      return { current: now, previous: before };
    },
    hasData: ({ current }) => current.asked > 0 || current.topHelpers.length > 0,
    render: renderHelpRequestsSection,
    summary: ({ current, previous }) => `Help requests: ${current.asked} asked (${describeChange(current.asked, previous.asked)}), ${current.answered} answered, ${current.solved} solved.`,
    insights: helpRequestInsights,
  };
}
