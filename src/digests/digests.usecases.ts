import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isPerson } from '../slack/mentions.ts';
import { joiningIfNeeded } from '../slack/messaging.ts';
import type { Messenger } from '../slack/outbox.ts';
import { renderWeeklyChart } from './digests.chart.ts';
import { type DigestData, type DigestSection, digestPeriod, dueDigestSlot, renderDigest, trailingWeeks } from './digests.models.ts';
import type { DigestsRepository } from './digests.repository.ts';

export interface DigestDeps {
  sections: DigestSection<any>[];
  repo: DigestsRepository;
  slack: WebClient;
  /** Paced: a digest goes to every subscriber at once. */
  messages: Messenger;
  logger: Logger;
  clock: Clock;
  timezone(): Promise<string>;
  digestChannel(): Promise<string | undefined>;
}

const CHART_WEEKS = 8;
/** An unfinished claim older than this belongs to a process that died mid-send: take it over. */
const CLAIM_LEASE_MS = 10 * 60_000;

/** Loads every section for the 7 days before `end` (and the 7 before) and renders the message. */
export async function buildDigest({ sections, timezone }: Pick<DigestDeps, 'sections' | 'timezone'>, end: Date) {
  const period = digestPeriod(end, await timezone());
  const data: DigestData = { period, sections: await Promise.all(sections.map(async (section) => ({ section, data: await section.load(period) }))) };
  return { data, message: renderDigest(data) };
}

/** The last 8 weeks as a PNG of every section's weekly counts, with its caption; undefined when there is nothing to draw. */
export async function buildDigestChart({ sections }: Pick<DigestDeps, 'sections'>, end: Date, zone: string): Promise<{ png: Buffer; caption: string } | undefined> {
  const weeks = trailingWeeks(end, zone, CHART_WEEKS);
  const groups = await Promise.all(sections.flatMap((s) => (s.chart ? [s.chart(weeks)] : [])));
  if (!groups.some((g) => g.series.some((s) => s.values.some((v) => v > 0)))) return undefined;
  const weekLabels = weeks.map((w) => DateTime.fromJSDate(w.start, { zone }).toFormat('MM/dd'));
  const caption = `Last ${CHART_WEEKS} weeks, one bar per week labelled by its first day (month/day): ${groups.map((g) => g.legend).join('; ')}.`;
  return { png: renderWeeklyChart({ weekLabels, groups }), caption };
}

/** The digest channel and every subscriber. */
async function digestTargets(deps: DigestDeps): Promise<string[]> {
  const channel = await deps.digestChannel();
  return [...(channel ? [channel] : []), ...(await deps.repo.subscribers())];
}

/**
 * Posts the digest for the week ending `end` to each target not yet served for `slot`, then the
 * chart beside it. Returns how many targets failed (they are retried while the slot is due).
 */
export async function deliverDigest(deps: DigestDeps, end: Date, slot?: Date): Promise<{ delivered: string[]; failed: number }> {
  const targets = await digestTargets(deps);
  if (targets.length === 0) return { delivered: [], failed: 0 };
  const done = slot ? await deps.repo.deliveredTargets(slot) : new Set<string>();
  const pending = targets.filter((t) => !done.has(t));
  if (pending.length === 0) return { delivered: [], failed: 0 };
  const { data, message } = await buildDigest(deps, end);
  const chart = data.sections.some((s) => s.section.hasData(s.data))
    ? await buildDigestChart(deps, end, data.period.zone).catch((error: unknown) => {
        // The numbers matter more than the picture: send without the chart rather than not at all.
        deps.logger.warn({ err: error }, 'could not draw the digest chart');
        return undefined;
      })
    : undefined;
  const delivered: string[] = [];
  let failed = 0;
  for (const target of pending) {
    try {
      const posted = isPerson(target) ? await deps.messages.dm(target, message) : await joiningIfNeeded(deps.slack, target, () => deps.messages.post({ channel: target, ...message }));
      if (slot) await deps.repo.recordDelivery(slot, target, deps.clock.now());
      delivered.push(target);
      // A digest kept in the outbox goes out without its chart: the numbers are what matter.
      if (chart && posted) {
        await deps.slack.filesUploadV2({
          channel_id: posted.channel,
          file: chart.png,
          filename: 'customer-digest-trend.png',
          title: `Customer trend, last ${CHART_WEEKS} weeks`,
          initial_comment: chart.caption,
        });
      }
    } catch (error) {
      failed += 1;
      deps.logger.warn({ err: error, target }, 'could not deliver the digest');
    }
  }
  return { delivered, failed };
}

/**
 * Sends the scheduled digest if a slot is due (including one missed while the app was down, within
 * a day). Exactly one process wins each slot; a run cut short is resumed for the targets it missed.
 */
export async function sendDueDigest(deps: DigestDeps, schedule: { cron: string; since?: Date }, now: Date): Promise<boolean> {
  const slot = dueDigestSlot(schedule.cron, await deps.timezone(), now, schedule.since);
  if (!slot || !(await deps.repo.claimSlot(slot, now, CLAIM_LEASE_MS))) return false;
  const { failed } = await deliverDigest(deps, slot, slot);
  if (failed === 0) await deps.repo.finishSlot(slot, deps.clock.now());
  return true;
}

/** `/frontline digest send`: posts the digest for the 7 days up to now. */
export async function sendDigestNow(deps: DigestDeps): Promise<string[]> {
  if ((await digestTargets(deps)).length === 0) {
    throw new UserError('digests.no_targets', ':warning: Nobody would get it: set a channel with `/frontline set digest-channel #leadership`, or `/frontline digest subscribe`.');
  }
  const { delivered, failed } = await deliverDigest(deps, deps.clock.now());
  if (failed > 0 && delivered.length === 0) throw new UserError('digests.send_failed', ':warning: Slack refused the digest everywhere; check that Frontline is in the digest channel.');
  return delivered;
}
