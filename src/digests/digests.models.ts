// Pure rules of the weekly digest: which weeks it covers, when it is due, how its parts compose.
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type Blocks, context, divider, header, section } from '../slack/blocks.ts';

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

/** The 7 days before `end` and the 7 before those, in calendar days of `zone` (DST-safe). */
export function digestPeriod(end: Date, zone: string): DigestPeriod {
  const e = DateTime.fromJSDate(end, { zone });
  const mid = e.minus({ days: 7 });
  return { current: { start: mid.toJSDate(), end }, previous: { start: mid.minus({ days: 7 }).toJSDate(), end: mid.toJSDate() }, zone };
}

/** The `count` weeks ending at `end`, oldest first, for the trend chart. */
export function trailingWeeks(end: Date, zone: string, count: number): TimeRange[] {
  const e = DateTime.fromJSDate(end, { zone });
  return Array.from({ length: count }, (_, i) => ({
    start: e.minus({ days: 7 * (count - i) }).toJSDate(),
    end: e.minus({ days: 7 * (count - i - 1) }).toJSDate(),
  }));
}

export const DEFAULT_DIGEST_CRON = '0 9 * * 1';
/** A missed digest is still worth sending this long after its slot (the app was down). */
export const CATCH_UP_MS = 24 * 3600_000;

/** Five-field cron expressions that croner understands, such as `0 9 * * 1`. */
export const digestCronSchema = z
  .string()
  .trim()
  .refine((expr) => expr.split(/\s+/).length === 5, 'Give five cron fields: minute hour day-of-month month day-of-week, such as "0 9 * * 1"')
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
  /** How to read its colours, for the caption: "feedback (green positive, grey neutral, red negative)". */
  legend: string;
  series: Array<{ name: string; color: [number, number, number]; values: number[] }>;
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
  render(data: T, period: DigestPeriod): Blocks;
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

/** "Mon 2 Mar – Sun 8 Mar" for the reported week. */
export function describeWeek({ current, zone }: DigestPeriod): string {
  const start = DateTime.fromJSDate(current.start, { zone });
  const last = DateTime.fromJSDate(new Date(current.end.getTime() - 1), { zone });
  return `${start.toFormat('ccc d LLL')} – ${last.toFormat('ccc d LLL yyyy')}`;
}

/** The strongest insights across sections, at most three. */
export function pickInsights(all: Insight[]): Insight[] {
  return [...all].sort((a, b) => b.weight - a.weight).slice(0, MAX_INSIGHTS);
}

/** The whole digest message: insights first, then each section, or one line for a quiet week. */
export function renderDigest({ period, sections }: DigestData): { text: string; blocks: Blocks } {
  const title = `Customer digest · ${describeWeek(period)}`;
  const withData = [...sections].sort((a, b) => a.section.order - b.section.order).filter((s) => s.section.hasData(s.data));
  if (withData.length === 0) {
    const note = 'A quiet week: no customer feedback, escalations, help requests or shadow sessions were recorded.';
    return { text: `${title}\n${note}`, blocks: [header(title), section(note)] };
  }
  const insights = pickInsights(withData.flatMap((s) => s.section.insights(s.data)));
  const insightLines = insights.map((i) => `• ${i.text}`).join('\n');
  const blocks: Blocks = [
    header(title),
    ...(insights.length > 0 ? [section(`*Key insights*\n${insightLines}`)] : []),
    ...withData.flatMap((s) => [divider(), ...s.section.render(s.data, period)]),
    context('Compared with the 7 days before. `/frontline digest subscribe` to get this by DM.'),
  ];
  const text = [title, ...insights.map((i) => `• ${i.text}`), ...withData.map((s) => s.section.summary(s.data))].join('\n');
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
