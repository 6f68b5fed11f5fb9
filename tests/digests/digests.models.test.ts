import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { niceMax, renderWeeklyChart } from '../../src/digests/digests.chart.ts';
import { type DigestSection, describeChange, describeDuration, describeShare, digestPeriod, plural, dueDigestSlot, pickInsights, renderDigest, trailingWeeks } from '../../src/digests/digests.models.ts';
import { parseDigestCommand } from '../../src/digests/digests.commands.ts';

describe('digestPeriod', () => {
  it('covers the 7 calendar days before the slot and the 7 before those, across a DST change', () => {
    const p = digestPeriod(new Date('2026-03-30T07:00:00Z'), 'Europe/Paris'); // Monday 09:00 CEST
    expect(p.current).toEqual({ start: new Date('2026-03-23T08:00:00Z'), end: new Date('2026-03-30T07:00:00Z') }); // Monday 09:00 CET
    expect(p.previous).toEqual({ start: new Date('2026-03-16T08:00:00Z'), end: new Date('2026-03-23T08:00:00Z') });
  });

  it('lists 8 contiguous weeks, oldest first', () => {
    const weeks = trailingWeeks(new Date('2026-03-09T09:00:00Z'), 'UTC', 8);
    expect(weeks).toHaveLength(8);
    expect(weeks[7]!.end).toEqual(new Date('2026-03-09T09:00:00Z'));
    expect(weeks[0]!.start).toEqual(new Date('2026-01-12T09:00:00Z'));
    weeks.slice(1).forEach((w, i) => expect(w.start).toEqual(weeks[i]!.end));
  });
});

describe('dueDigestSlot', () => {
  const cron = '0 9 * * 1';
  it('is the slot itself at its minute, in the workspace zone', () => {
    expect(dueDigestSlot(cron, 'America/New_York', new Date('2026-03-02T14:00:00Z'))).toEqual(new Date('2026-03-02T14:00:00Z'));
    expect(dueDigestSlot(cron, 'America/New_York', new Date('2026-03-02T13:59:00Z'))).toBeUndefined();
  });
  it('catches up within a day, not later', () => {
    expect(dueDigestSlot(cron, 'UTC', new Date('2026-03-03T08:59:00Z'))).toEqual(new Date('2026-03-02T09:00:00Z'));
    expect(dueDigestSlot(cron, 'UTC', new Date('2026-03-03T09:01:00Z'))).toBeUndefined();
  });
  it('ignores slots before the schedule was set', () => {
    expect(dueDigestSlot(cron, 'UTC', new Date('2026-03-02T10:00:00Z'), new Date('2026-03-02T09:30:00Z'))).toBeUndefined();
  });
});

describe('renderDigest', () => {
  const period = digestPeriod(new Date('2026-03-09T09:00:00Z'), 'UTC');
  const fake = (id: string, order: number, count: number, weights: number[]): DigestSection<number> => ({
    id,
    order,
    load: async () => count,
    hasData: (n) => n > 0,
    render: (n) => [{ type: 'section', text: { type: 'mrkdwn', text: `${id}: ${n}` } }],
    summary: (n) => `${id} ${n}`,
    insights: () => weights.map((w) => ({ kind: 'emerging' as const, text: `${id} insight ${w}`, weight: w })),
  });

  it('leads with the three strongest insights and orders sections', () => {
    const { text, blocks } = renderDigest({ period, sections: [{ section: fake('b', 20, 2, [1, 9]), data: 2 }, { section: fake('a', 10, 1, [5, 7]), data: 1 }] as never });
    expect(text.split('\n').slice(0, 4)).toEqual(['Customer digest · Mon 2 Mar – Mon 9 Mar 2026', '• b insight 9', '• a insight 7', '• a insight 5']);
    const sectionTexts = blocks.flatMap((b) => ('text' in b && typeof b.text === 'object' ? [b.text.text] : []));
    expect(sectionTexts.indexOf('a: 1')).toBeLessThan(sectionTexts.indexOf('b: 2'));
  });

  it('gives a quiet week one line and leaves out empty sections', () => {
    const quiet = renderDigest({ period, sections: [{ section: fake('a', 10, 0, [9]), data: 0 }] as never });
    expect(quiet.blocks).toHaveLength(2);
    expect(quiet.text).toContain('A quiet week');
    const one = renderDigest({ period, sections: [{ section: fake('a', 10, 0, [9]), data: 0 }, { section: fake('b', 20, 3, []), data: 3 }] as never });
    expect(JSON.stringify(one.blocks)).not.toContain('a: 0');
  });

  it('picks at most three insights', () => {
    expect(pickInsights([1, 4, 2, 3].map((w) => ({ kind: 'improved', text: String(w), weight: w }))).map((i) => i.text)).toEqual(['4', '3', '2']);
  });

  it('describes changes', () => {
    expect([describeChange(12, 8), describeChange(4, 8), describeChange(3, 0), describeChange(5, 5)]).toEqual(['+50%', '−50%', 'new', 'no change']);
  });

  it('describes durations, shares and counts for people', () => {
    expect([null, 0.4, 59.6, 60, 200, 47 * 60 + 59, 48 * 60, 3000].map(describeDuration)).toEqual(['–', '0 min', '1 h', '1 h', '3 h 20 min', '47 h 59 min', '2 days', '2.1 days']);
    expect([null, 0, 1 / 3, 1].map(describeShare)).toEqual(['–', '0%', '33%', '100%']);
    expect([plural(1, 'no-show', 'no-shows'), plural(0, 'no-show', 'no-shows')]).toEqual(['1 no-show', '0 no-shows']);
  });
});

describe('the chart', () => {
  it('draws stacked bars to scale as a PNG', () => {
    const png = PNG.sync.read(
      renderWeeklyChart({
        weekLabels: ['01/05', '01/12'],
        groups: [{ label: 'Feedback', legend: 'feedback', series: [{ name: 'negative', color: [255, 0, 0], values: [0, 10] }, { name: 'positive', color: [0, 255, 0], values: [5, 10] }] }],
      }),
    );
    expect([png.width, png.height]).toEqual([800, 360]);
    const colors = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colors.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colors.has('255,0,0')).toBe(true);
    expect(colors.has('0,255,0')).toBe(true);
    expect(niceMax(20)).toBe(20);
    expect(niceMax(21)).toBe(50);
    expect(niceMax(0)).toBe(1);
  });
});

describe('parseDigestCommand', () => {
  it('reads a quoted cron expression and refuses a bad one', () => {
    expect(parseDigestCommand('schedule "30 8 * * 1-5"')).toEqual({ action: 'schedule', cron: '30 8 * * 1-5' });
    expect(parseDigestCommand('schedule “0 9 * * 1”')).toEqual({ action: 'schedule', cron: '0 9 * * 1' });
    expect(() => parseDigestCommand('schedule "* * *"')).toThrow('five cron fields');
    expect(() => parseDigestCommand('later')).toThrow('I don’t know `digest later`');
  });
});
