import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_SCALE, chartRows, renderChartPng, renderChartSvg } from '../../src/digests/digests.chart.ts';
import { parseDigestCommand } from '../../src/digests/digests.commands.ts';
import {
  type DigestSection,
  describeChange,
  describeDuration,
  describeShare,
  describeTrend,
  digestPeriod,
  dueDigestSlot,
  pickInsights,
  plural,
  renderDigest,
  trailingWeeks,
} from '../../src/digests/digests.models.ts';

describe('digestPeriod', () => {
  it('covers the 7 whole days before the slot’s day and the 7 before those, across a DST change', () => {
    const p = digestPeriod(new Date('2026-03-30T07:00:00Z'), 'Europe/Paris'); // Monday 09:00 CEST
    expect(p.current).toEqual({ start: new Date('2026-03-22T23:00:00Z'), end: new Date('2026-03-29T22:00:00Z') }); // Monday 00:00 CET to Monday 00:00 CEST
    expect(p.previous).toEqual({ start: new Date('2026-03-15T23:00:00Z'), end: new Date('2026-03-22T23:00:00Z') });
  });

  it('says "last 7 days" with its first and last day, not the day it is sent', () => {
    const { text } = renderDigest({ period: digestPeriod(new Date('2026-12-02T10:00:00Z'), 'UTC'), sections: [] });
    expect(text.split('\n')[0]).toBe('Customer digest · last 7 days (25 Nov – 1 Dec)');
  });

  it('lists 8 contiguous weeks, oldest first, the last one the period’s', () => {
    const period = digestPeriod(new Date('2026-03-09T09:00:00Z'), 'UTC');
    const weeks = trailingWeeks(period, 8);
    expect(weeks).toHaveLength(8);
    expect(weeks[7]).toEqual(period.current);
    expect(weeks[0]!.start).toEqual(new Date('2026-01-12T00:00:00Z'));
    weeks.slice(1).forEach((w, i) => expect(w.start).toEqual(weeks[i]!.end));
  });
});

describe('dueDigestSlot', () => {
  const cron = '0 9 * * 1';
  it('is the slot itself at its minute, in the workspace zone', () => {
    expect(dueDigestSlot(cron, 'America/New_York', new Date('2026-03-02T14:00:00Z'))).toEqual(
      new Date('2026-03-02T14:00:00Z'),
    );
    expect(dueDigestSlot(cron, 'America/New_York', new Date('2026-03-02T13:59:00Z'))).toBeUndefined();
  });
  it('catches up within a day, not later', () => {
    expect(dueDigestSlot(cron, 'UTC', new Date('2026-03-03T08:59:00Z'))).toEqual(new Date('2026-03-02T09:00:00Z'));
    expect(dueDigestSlot(cron, 'UTC', new Date('2026-03-03T09:01:00Z'))).toBeUndefined();
  });
  it('ignores slots before the schedule was set', () => {
    expect(
      dueDigestSlot(cron, 'UTC', new Date('2026-03-02T10:00:00Z'), new Date('2026-03-02T09:30:00Z')),
    ).toBeUndefined();
  });
});

describe('renderDigest', () => {
  const period = digestPeriod(new Date('2026-03-09T09:00:00Z'), 'UTC');
  const fake = (id: string, order: number, count: number, weights: number[]): DigestSection<number> => ({
    id,
    order,
    load: async () => count,
    hasData: (n) => n > 0,
    render: (n) => ({ title: id, figures: [{ label: `${id}: ${n}`, value: n }] }),
    summary: (n) => `${id} ${n}`,
    insights: () => weights.map((w) => ({ kind: 'emerging' as const, text: `${id} insight ${w}`, weight: w })),
  });

  it('leads with the three strongest insights and orders sections', () => {
    const { text, blocks } = renderDigest({
      period,
      sections: [
        { section: fake('b', 20, 2, [1, 9]), data: 2 },
        { section: fake('a', 10, 1, [5, 7]), data: 1 },
      ] as never,
    });
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Customer digest · last 7 days (2 Mar – 8 Mar)',
      '• b insight 9',
      '• a insight 7',
      '• a insight 5',
    ]);
    const json = JSON.stringify(blocks);
    expect(json.indexOf('a: 1')).toBeLessThan(json.indexOf('b: 2'));
  });

  it('gives a quiet week one line and leaves out empty sections', () => {
    const quiet = renderDigest({ period, sections: [{ section: fake('a', 10, 0, [9]), data: 0 }] as never });
    expect(quiet.blocks).toHaveLength(2);
    expect(quiet.text).toContain('A quiet week');
    const one = renderDigest({
      period,
      sections: [
        { section: fake('a', 10, 0, [9]), data: 0 },
        { section: fake('b', 20, 3, []), data: 3 },
      ] as never,
    });
    expect(JSON.stringify(one.blocks)).not.toContain('a: 0');
  });

  it('picks at most three insights', () => {
    expect(
      pickInsights([1, 4, 2, 3].map((w) => ({ kind: 'improved', text: String(w), weight: w }))).map((i) => i.text),
    ).toEqual(['4', '3', '2']);
  });

  it('describes changes', () => {
    expect([describeChange(12, 8), describeChange(4, 8), describeChange(3, 0), describeChange(5, 5)]).toEqual([
      '+50%',
      '−50%',
      'new',
      'no change',
    ]);
  });

  it('describes durations, shares and counts for people', () => {
    expect([null, 0.4, 59.6, 60, 200, 47 * 60 + 59, 48 * 60, 3000].map(describeDuration)).toEqual([
      '–',
      '0 min',
      '1 h',
      '1 h',
      '3 h 20 min',
      '47 h 59 min',
      '2 days',
      '2.1 days',
    ]);
    expect([null, 0, 1 / 3, 1].map(describeShare)).toEqual(['–', '0%', '33%', '100%']);
    expect([plural(1, 'no-show', 'no-shows'), plural(0, 'no-show', 'no-shows')]).toEqual(['1 no-show', '0 no-shows']);
  });
});

describe('figures', () => {
  it('shows changes as arrows with percentages, share changes in points, and nothing without a comparison', () => {
    const trend = (value: number | null, previous?: number | null, kind?: 'share' | 'minutes') =>
      describeTrend({ label: '', value, previous, kind });
    expect([trend(12, 8), trend(4, 8), trend(3, 0), trend(5, 5), trend(0.5, 0.25, 'share')]).toEqual([
      '↑ 50%',
      '↓ 50%',
      '↑ from 0',
      'no change',
      '↑ 25 pts',
    ]);
    expect([trend(12), trend(12, null), trend(null, 3)]).toEqual(['', '', '']);
  });

  it('leaves out a figure that could not be measured: no "0 min", no dash', () => {
    const { blocks } = renderDigest({
      period: digestPeriod(new Date('2026-03-09T09:00:00Z'), 'UTC'),
      sections: [
        {
          section: {
            id: 'x',
            order: 1,
            load: async () => 1,
            hasData: () => true,
            render: () => ({
              title: 'X',
              figures: [
                { label: 'Opened', value: 2, previous: 1 },
                { label: 'Median time to acknowledge', value: null, previous: 30, kind: 'minutes' },
                { label: 'Missed their SLA', value: null, previous: null, kind: 'share' },
              ],
            }),
            summary: () => 'x',
            insights: () => [],
          },
          data: 1,
        },
      ],
    });
    const fields = blocks.flatMap((b) => ('fields' in b && b.fields ? b.fields.map((f) => f.text) : []));
    expect(fields).toEqual(['Opened\n*2*   ↑ 100%']);
    expect(JSON.stringify(blocks)).not.toMatch(/0 min|\(was|: –/);
  });
});

describe('the chart', () => {
  const input = {
    title: 'Customer trend, last 2 weeks',
    weekLabels: ['5 Jan', '12 Jan'],
    groups: [
      {
        label: 'Feedback',
        axisTitle: 'items',
        series: [
          { name: 'negative', color: '#D55E00', values: [0, 10] },
          { name: 'positive', color: '#0072B2', values: [5, 10] },
        ],
      },
    ],
  };

  it('draws a title, a legend, labelled axes, the week dates and every value', async () => {
    const svg = await renderChartSvg(input);
    for (const text of [
      'Customer trend, last 2 weeks',
      'negative',
      'positive',
      'items',
      'Week starting',
      '12 Jan',
      '>10<',
      '>5<',
    ])
      expect(svg).toContain(text);
    expect(svg).toContain('#D55E00');
    expect(chartRows(input)).toEqual([
      { group: 'Feedback', week: '5 Jan', order: 0, series: 'negative', value: 0 },
      { group: 'Feedback', week: '12 Jan', order: 0, series: 'negative', value: 10 },
      { group: 'Feedback', week: '5 Jan', order: 1, series: 'positive', value: 5 },
      { group: 'Feedback', week: '12 Jan', order: 1, series: 'positive', value: 10 },
    ]);
  });

  it('renders a PNG that decodes at twice the drawing’s size', async () => {
    const { png, width, height } = await renderChartPng(input);
    const decoded = PNG.sync.read(png);
    const svg = await renderChartSvg(input);
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect([width, height]).toEqual([w! * CHART_SCALE, h! * CHART_SCALE]);
    expect(width).toBeGreaterThan(1200);
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
