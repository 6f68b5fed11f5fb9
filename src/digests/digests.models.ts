// Pure rules of the weekly digest: which weeks it covers, when it is due, how its parts compose.
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type Blocks, context, divider, header, mrkdwn, plain, section } from '../slack/blocks.ts';

/** A half-open time range [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** The week reported and the week it is compared with, read in the workspace zone. */
export interface DigestPeriod {
  current: TimeRange;
  previous: TimeRange;
  zone: string;
}

/**
 * The last 7 whole days before the day of `end` and the 7 before those, in calendar days of `zone`
 * (DST-safe): a digest sent on Wednesday 2 Dec reports 25 Nov – 1 Dec.
 */
export function digestPeriod(end: Date, zone: string): DigestPeriod {
  const e = DateTime.fromJSDate(end, { zone }).startOf('day');
  const mid = e.minus({ days: 7 });
  return {
    current: { start: mid.toJSDate(), end: e.toJSDate() },
    previous: { start: mid.minus({ days: 7 }).toJSDate(), end: mid.toJSDate() },
    zone,
  };
}

/** The `count` weeks ending with the period's week, oldest first, for the trend chart. */
export function trailingWeeks({ current, zone }: DigestPeriod, count: number): TimeRange[] {
  const e = DateTime.fromJSDate(current.end, { zone });
  return Array.from({ length: count }, (_, i) => ({
    start: e.minus({ days: 7 * (count - i) }).toJSDate(),
    end: e.minus({ days: 7 * (count - i - 1) }).toJSDate(),
  }));
}

export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

/** Who may read the digest: everyone, members (everyone but guests) or Frontline admins. */
export const DIGEST_AUDIENCES = ['everyone', 'members', 'admins'] as const;
export type DigestAudience = (typeof DIGEST_AUDIENCES)[number];
export const DEFAULT_DIGEST_AUDIENCE: DigestAudience = 'members';
export const digestAudienceSchema = z.enum(DIGEST_AUDIENCES, { error: 'Pick everyone, members or admins' });
/** A missed digest is still worth sending this long after its slot (the app was down). */
export const CATCH_UP_MS = 24 * 3600_000;

/** Five-field cron expressions that croner understands, such as `0 9 * * 1`. */
export const digestCronSchema = z
  .string()
  .trim()
  .refine(
    (expr) => expr.split(/\s+/).length === 5,
    'Give five cron fields: minute hour day-of-month month day-of-week, such as "0 9 * * 1"',
  )
  .refine((expr) => {
    try {
      new Cron(expr, { paused: true });
      return true;
    } catch {
      return false;
    }
  }, 'That is not a valid cron expression; for Monday 09:00 use "0 9 * * 1"');

/**
 * The latest slot of `cron` at or before `now` (in `zone`) that is still due: not older than the
 * catch-up window and not before the schedule was set. Undefined when nothing is due.
 */
export function dueDigestSlot(cron: string, zone: string, now: Date, scheduledSince?: Date): Date | undefined {
  const job = new Cron(cron, { timezone: zone, paused: true });
  // previousRuns looks strictly before its reference: a second later includes `now` itself.
  const [slot] = job.previousRuns(1, new Date(now.getTime() + 1000));
  if (!slot || now.getTime() - slot.getTime() > CATCH_UP_MS) return undefined;
  if (scheduledSince && slot < scheduledSince) return undefined;
  return slot;
}

/** The next time `cron` fires, for confirmations. */
export function nextDigestSlot(cron: string, zone: string, now: Date): Date | undefined {
  return new Cron(cron, { timezone: zone, paused: true }).nextRun(now) ?? undefined;
}

/** A sentence worth leading the digest with; higher weight wins a place among the three. */
export interface Insight {
  kind: 'emerging' | 'improved' | 'declined';
  text: string;
  weight: number;
}

/** A stacked bar per week in the chart, e.g. feedback split by sentiment. */
export interface ChartGroup {
  label: string;
  /** The y axis: what a bar counts ("items", "escalations"). */
  axisTitle: string;
  /** Bottom of the stack first; colours from the chart's colour-blind-safe palette. */
  series: Array<{ name: string; color: string; values: number[] }>;
}

/** One key figure of a section; one that could not be measured (null) is left out. */
export interface Figure {
  label: string;
  value: number | null;
  /** The same figure for the 7 days before, for the arrow; undefined when it says nothing. */
  previous?: number | null;
  /** How to show it: a count (default), minutes, a share of 0–1, or a rating out of 5. */
  kind?: 'count' | 'minutes' | 'share' | 'rating';
}

/** What a section shows: its header, 2–4 figures side by side, then any detail lines. */
export interface SectionView {
  title: string;
  figures: Figure[];
  details?: Blocks;
}

/**
 * One part of the digest, owned by the capability it reports on (feedback, escalations, help
 * requests, shadowing). `load` reads only the period's weeks; everything else is pure.
 */
export interface DigestSection<T = unknown> {
  id: string;
  /** Lower comes first. */
  order: number;
  load(period: DigestPeriod): Promise<T>;
  hasData(data: T): boolean;
  render(data: T, period: DigestPeriod): SectionView;
  /** Plain-text summary for notifications and screen readers. */
  summary(data: T): string;
  insights(data: T): Insight[];
  /** Weekly counts for the chart over `weeks` (oldest first). */
  chart?(weeks: TimeRange[]): Promise<ChartGroup>;
}

export interface LoadedSection<T = unknown> {
  section: DigestSection<T>;
  data: T;
}

export interface DigestData {
  period: DigestPeriod;
  sections: LoadedSection[];
}

const MAX_INSIGHTS = 3;
/** Weeks in the trend chart. */
export const CHART_WEEKS = 8;

/** "25 Nov", the digest's date format, in the chart too. */
export const digestDate = (date: Date, zone: string) => DateTime.fromJSDate(date, { zone }).toFormat('d LLL');

/** "25 Nov – 1 Dec": the first and the last day of a range (its end is exclusive). */
export function describeDays({ start, end }: TimeRange, zone: string): string {
  return `${digestDate(start, zone)} – ${digestDate(new Date(end.getTime() - 1), zone)}`;
}

/** "last 7 days (25 Nov – 1 Dec)" for the reported week. */
export const describeWeek = ({ current, zone }: DigestPeriod) => `last 7 days (${describeDays(current, zone)})`;

/** The strongest insights across sections, at most three. */
export function pickInsights(all: Insight[]): Insight[] {
  return [...all].sort((a, b) => b.weight - a.weight).slice(0, MAX_INSIGHTS);
}

/** "12", "3 h 20 min", "25%", "4.2/5". */
function formatFigure(value: number, kind: Figure['kind']): string {
  if (kind === 'minutes') return describeDuration(value);
  if (kind === 'share') return describeShare(value);
  if (kind === 'rating') return `${value.toFixed(1)}/5`;
  return String(value);
}

/** "↑ 25%", "↓ 3 pts" for shares, "no change"; nothing when there is nothing to compare with. */
export function describeTrend({ value, previous, kind }: Figure): string {
  if (value === null || previous === null || previous === undefined) return '';
  if (kind === 'share' || kind === 'rating') {
    const delta = kind === 'share' ? Math.round((value - previous) * 100) : Math.round((value - previous) * 10) / 10;
    if (delta === 0) return 'no change';
    return `${delta > 0 ? '↑' : '↓'} ${Math.abs(delta)}${kind === 'share' ? ' pts' : ''}`;
  }
  if (Math.round(value) === Math.round(previous)) return 'no change';
  if (previous === 0) return `↑ from 0`;
  const pct = Math.round(((value - previous) / previous) * 100);
  return pct === 0 ? 'no change' : `${pct > 0 ? '↑' : '↓'} ${Math.abs(pct)}%`;
}

/** The one layout of every section: its header, its figures side by side (at most 4), its details. */
export function renderSectionView({ title, figures, details = [] }: SectionView): Blocks {
  const shown = figures.filter((f) => f.value !== null).slice(0, 4);
  const fields = shown.map((f) => {
    const trend = describeTrend(f);
    return mrkdwn(`${f.label}\n*${formatFigure(f.value!, f.kind)}*${trend ? `   ${trend}` : ''}`);
  });
  return [header(title), ...(fields.length > 0 ? [{ type: 'section' as const, fields }] : []), ...details];
}

/** The whole digest message: insights first, then each section, or one line for a quiet week. */
export function renderDigest(
  { period, sections }: DigestData,
  chart?: { fileId: string; altText: string },
): { text: string; blocks: Blocks } {
  const title = `Customer digest · ${describeWeek(period)}`;
  const withData = [...sections]
    .sort((a, b) => a.section.order - b.section.order)
    .filter((s) => s.section.hasData(s.data));
  if (withData.length === 0) {
    const note = 'A quiet week: no customer feedback, escalations, help requests or shadow sessions were recorded.';
    return { text: `${title}\n${note}`, blocks: [header(title), section(note)] };
  }
  const insights = pickInsights(withData.flatMap((s) => s.section.insights(s.data)));
  const insightLines = insights.map((i) => `• ${i.text}`).join('\n');
  const blocks: Blocks = [
    header(title),
    ...(insights.length > 0 ? [section(`*Key insights*\n${insightLines}`)] : []),
    ...withData.flatMap((s) => [divider(), ...renderSectionView(s.section.render(s.data, period))]),
    ...(chart
      ? [
          divider(),
          {
            type: 'image' as const,
            slack_file: { id: chart.fileId },
            alt_text: chart.altText,
            title: plain(`Trend, last ${CHART_WEEKS} weeks`),
          },
        ]
      : []),
    context(
      `Arrows compare with the 7 days before (${describeDays(period.previous, period.zone)}). \`/frontline digest subscribe\` to get this by DM.`,
    ),
  ];
  const text = [title, ...insights.map((i) => `• ${i.text}`), ...withData.map((s) => s.section.summary(s.data))].join(
    '\n',
  );
  return { text, blocks };
}

/** "+24%", "−10%", "new" or "no change" against the week before. */
export function describeChange(current: number, previous: number): string {
  if (current === previous) return 'no change';
  if (previous === 0) return 'new';
  const pct = Math.round(((current - previous) / previous) * 100);
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)}%`;
}

/** "45 min", "3 h 20 min", "2.5 days"; a dash when there was nothing to measure. */
export function describeDuration(minutes: number | null): string {
  if (minutes === null) return '–';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${Math.round((m / 1440) * 10) / 10} days`;
}

/** A share of 0–1 as a whole percentage, or a dash when there was nothing to measure. */
export function describeShare(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

/** "1 no-show", "3 no-shows". */
export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
