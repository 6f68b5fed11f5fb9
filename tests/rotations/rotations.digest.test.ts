// The shadowing section of the digest: sessions against last week, reflections and the no-show insight.
import { describe, expect, it } from 'vitest';
import { renderSectionView } from '../../src/digests/digests.models.ts';
import {
  renderShadowingSection,
  type ShadowingMetrics,
  shadowingInsights,
} from '../../src/rotations/rotations.digest.ts';

const metrics = (m: Partial<ShadowingMetrics>): ShadowingMetrics => ({
  held: 0,
  noShows: 0,
  unmarked: 0,
  averageUsefulness: null,
  highlights: [],
  ...m,
});
const highlight = {
  sessionId: 1,
  userId: 'U0ANA',
  surprised: 'How many tickets\nare about invoices',
  fix: 'The refund form',
  usefulness: 5,
  rotationName: 'Tuesday shadowing',
};

describe('renderShadowingSection', () => {
  it('shows sessions held and no-shows against last week, usefulness and reflection highlights', () => {
    const text = JSON.stringify(
      renderShadowingSection({
        current: metrics({ held: 3, noShows: 1, unmarked: 2, averageUsefulness: 4.333, highlights: [highlight] }),
        previous: metrics({ held: 2, noShows: 0 }),
      }),
    );
    expect(text).toContain('"figures":[{"label":"Sessions held","value":3,"previous":2}');
    const fields = JSON.stringify(renderSectionView(JSON.parse(text)));
    expect(fields).toContain('Sessions held\\n*3*   ↑ 50%');
    expect(fields).toContain('No-shows\\n*1*   ↑ from 0');
    expect(fields).toContain('Usefulness, as shadows rated it\\n*4.3/5*"');
    expect(fields).toContain('Not marked by the host yet\\n*2*"');
    expect(text).toContain(
      '>*What should we fix?* The refund form\\n>*What surprised them?* How many tickets are about invoices\\n>— <@U0ANA>, Tuesday shadowing · 5/5',
    );
  });

  it('leaves out usefulness when nobody reflected yet', () => {
    const blocks = renderSectionView(renderShadowingSection({ current: metrics({ held: 1 }), previous: metrics({}) }));
    expect(JSON.stringify(blocks)).not.toContain('Usefulness');
    expect(blocks).toHaveLength(2);
  });

  it('shows what shadows typed as written, not as links or mentions', () => {
    const typed = { ...highlight, fix: 'Stop sending <!channel> & <https://x.io|links>', rotationName: 'R&D <team>' };
    const text = JSON.stringify(
      renderShadowingSection({ current: metrics({ held: 1, highlights: [typed] }), previous: metrics({}) }),
    );
    expect(text).toContain('Stop sending @channel &amp; links (https://x.io)');
    expect(text).toContain('<@U0ANA>, R&amp;D &lt;team&gt; · 5/5');
  });
});

describe('shadowingInsights', () => {
  it('calls out notably more no-shows, and only with enough sessions', () => {
    expect(
      shadowingInsights({ current: metrics({ held: 2, noShows: 2 }), previous: metrics({ held: 4, noShows: 0 }) }),
    ).toEqual([
      {
        kind: 'declined',
        text: ':warning: More shadows missed their session: 2 of 4 were no-shows, up from 0 of 4 the week before.',
        weight: 9,
      },
    ]);
    expect(
      shadowingInsights({ current: metrics({ held: 3, noShows: 1 }), previous: metrics({ held: 4, noShows: 0 }) }),
    ).toEqual([]);
    expect(
      shadowingInsights({ current: metrics({ held: 0, noShows: 2 }), previous: metrics({ held: 4, noShows: 0 }) }),
    ).toEqual([]);
  });
});
