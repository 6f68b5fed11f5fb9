// Shadowing's part of the weekly digest: sessions held, no-shows and what shadows said afterwards.
import type { DigestSection, Insight, SectionView } from '../digests/digests.models.ts';
import { describeChange, plural } from '../digests/digests.models.ts';
import { section, truncate } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export type ShadowingMetrics = Awaited<ReturnType<SessionsRepository['metrics']>>;

export interface ShadowingDigestData {
  current: ShadowingMetrics;
  previous: ShadowingMetrics;
}

/** Weeks with fewer marked sessions than this say too little to call a trend. */
const MIN_FOR_TREND = 3;
const NOTABLE_SHARE_SHIFT = 0.25;
/** A single missed session is not news. */
const MIN_NO_SHOWS = 2;

const noShowShare = (m: ShadowingMetrics) => m.noShows / (m.held + m.noShows);

/** Shadows missing their sessions notably more often than the week before. */
export function shadowingInsights({ current, previous }: ShadowingDigestData): Insight[] {
  if (current.held + current.noShows < MIN_FOR_TREND || previous.held + previous.noShows < MIN_FOR_TREND) return [];
  const delta = noShowShare(current) - noShowShare(previous);
  if (delta < NOTABLE_SHARE_SHIFT || current.noShows < MIN_NO_SHOWS) return [];
  const of = (m: ShadowingMetrics) => `${m.noShows} of ${m.held + m.noShows}`;
  return [
    {
      kind: 'declined',
      text: `:warning: More shadows missed their session: ${of(current)} were no-shows, up from ${of(previous)} the week before.`,
      weight: 4 + delta * 10,
    },
  ];
}

const oneLine = (text: string, max: number) => escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), max));

/** The shadowing section: sessions against last week, average usefulness, reflection highlights. */
export function renderShadowingSection({ current, previous }: ShadowingDigestData): SectionView {
  const highlights = current.highlights.map(
    (h) =>
      `>*What should we fix?* ${oneLine(h.fix, 280)}\n>*What surprised them?* ${oneLine(h.surprised, 200)}\n>— <@${h.userId}>, ${escapeMrkdwn(h.rotationName)} · ${h.usefulness}/5`,
  );
  return {
    title: ':busts_in_silhouette: Shadowing',
    figures: [
      { label: 'Sessions held', value: current.held, previous: previous.held },
      { label: 'No-shows', value: current.noShows, previous: previous.noShows },
      {
        label: 'Usefulness, as shadows rated it',
        value: current.averageUsefulness,
        previous: previous.averageUsefulness,
        kind: 'rating',
      },
      { label: 'Not marked by the host yet', value: current.unmarked > 0 ? current.unmarked : null },
    ],
    details: highlights.length > 0 ? [section(`*From the reflections*\n${highlights.join('\n\n')}`)] : [],
  };
}

export function createShadowingDigestSection({
  repo,
}: {
  repo: SessionsRepository;
}): DigestSection<ShadowingDigestData> {
  return {
    id: 'shadowing',
    order: 40,
    load: async ({ current, previous }) => {
      const [now, before] = await Promise.all([
        repo.metrics({ from: current.start, to: current.end }),
        repo.metrics({ from: previous.start, to: previous.end }),
      ]);
      return { current: now, previous: before };
    },
    hasData: ({ current }) => current.held + current.noShows + current.unmarked > 0,
    render: renderShadowingSection,
    summary: ({ current, previous }) =>
      `Shadowing: ${plural(current.held, 'session', 'sessions')} held (${describeChange(current.held, previous.held)}), ${plural(current.noShows, 'no-show', 'no-shows')}.`,
    insights: shadowingInsights,
  };
}
