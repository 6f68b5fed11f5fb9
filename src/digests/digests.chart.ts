// The digest's trend chart: a Vega-Lite spec drawn to SVG by Vega (no canvas, no browser), then to
// PNG by resvg with the Inter font that ships with the app, so it looks the same on every server.
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartGroup } from './digests.models.ts';

export interface ChartInput {
  title: string;
  /** One label per week, oldest first, in the digest's date format ("25 Nov"). */
  weekLabels: string[];
  groups: ChartGroup[];
}

/** Okabe-Ito: told apart with every common colour-vision deficiency. */
export const PALETTE = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  bluishGreen: '#009E73',
  grey: '#8C8C8C',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
} as const;

/** Drawn at twice its size, for sharp high-density screens. */
export const CHART_SCALE = 2;
const WIDTH = 640;
const GROUP_HEIGHT = 150;
const FONT = 'Inter';
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];

/** One row of the chart's data: a week, a series and its count. */
export interface ChartRow {
  group: string;
  week: string;
  order: number;
  series: string;
  value: number;
}

/** The chart's data, one row per week and series, as the bars and their labels show it. */
export function chartRows({ weekLabels, groups }: Pick<ChartInput, 'weekLabels' | 'groups'>): ChartRow[] {
  return groups.flatMap((g) =>
    g.series.flatMap((s, order) =>
      weekLabels.map((week, w) => ({ group: g.label, week, order, series: s.name, value: s.values[w] ?? 0 })),
    ),
  );
}

/** A part is labelled inside its bar when it is at least this share of the tallest bar. */
const MIN_LABELLED_SHARE = 0.08;

/** Rows with what their labels need: whether a count fits inside its part, and the week's total on the last part. */
function labelled(rows: ChartRow[]) {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.week, (totals.get(r.week) ?? 0) + r.value);
  const tallest = Math.max(1, ...totals.values());
  const lastOrder = Math.max(...rows.map((r) => r.order));
  return rows.map((r) => ({
    ...r,
    fits: r.value > 0 && r.value / tallest >= MIN_LABELLED_SHARE,
    last: r.order === lastOrder,
    total: totals.get(r.week) ?? 0,
  }));
}

/** One stacked bar chart per group, under each other on the same weeks, each with its legend and values. */
export function chartSpec(input: ChartInput): TopLevelSpec {
  const rows = chartRows(input);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: input.title, anchor: 'start', fontSize: 16, fontWeight: 600, offset: 12 },
    background: 'white',
    padding: 16,
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, labelColor: '#333', titleColor: '#333' },
      legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, orient: 'top', direction: 'horizontal' },
      header: { labelFontSize: 13, labelFontWeight: 600 },
    },
    resolve: { scale: { color: 'independent', y: 'independent' } },
    vconcat: input.groups.map((g) => ({
      title: { text: g.label, anchor: 'start', fontSize: 13, fontWeight: 600 },
      width: WIDTH,
      height: GROUP_HEIGHT,
      data: { values: labelled(rows.filter((r) => r.group === g.label)) },
      transform: [
        { stack: 'value', groupby: ['week'], sort: [{ field: 'order' }], as: ['bottom', 'top'] },
        { calculate: '(datum.bottom + datum.top) / 2', as: 'middle' },
      ],
      encoding: {
        x: { field: 'week', type: 'ordinal', sort: input.weekLabels, title: 'Week starting', axis: { labelAngle: 0 } },
      },
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
          encoding: {
            y: {
              field: 'top',
              type: 'quantitative',
              title: g.axisTitle,
              axis: { tickMinStep: 1, format: 'd', gridColor: '#e6e6e6' },
            },
            y2: { field: 'bottom' },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: { domain: g.series.map((s) => s.name), range: g.series.map((s) => s.color) },
              legend: g.series.length > 1 ? {} : null,
            },
          },
        },
        ...(g.series.length > 1
          ? [
              {
                // Each part's count inside it, where it fits: the numbers read without telling colours apart.
                transform: [{ filter: 'datum.fits' }],
                mark: {
                  type: 'text' as const,
                  color: 'white',
                  fontSize: 11,
                  fontWeight: 600,
                  baseline: 'middle' as const,
                },
                encoding: {
                  y: { field: 'middle', type: 'quantitative' as const },
                  text: { field: 'value', type: 'quantitative' as const },
                },
              },
            ]
          : []),
        {
          // The week's total above its bar.
          transform: [{ filter: 'datum.last && datum.total > 0' }],
          mark: { type: 'text', color: '#333', fontSize: 11, fontWeight: 600, baseline: 'bottom', dy: -3 },
          encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'total', type: 'quantitative' } },
        },
      ],
    })),
  } as TopLevelSpec;
}

/** The chart as SVG, drawn by Vega without a canvas. */
export async function renderChartSvg(input: ChartInput): Promise<string> {
  // Loaded on first use: the app idles without the charting libraries in memory.
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(chartSpec(input)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as PNG bytes at twice its size, with its size in pixels. */
export async function renderChartPng(input: ChartInput): Promise<{ png: Buffer; width: number; height: number }> {
  const svg = await renderChartSvg(input);
  const { Resvg } = await import('@resvg/resvg-js');
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: CHART_SCALE },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT },
    background: 'white',
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
