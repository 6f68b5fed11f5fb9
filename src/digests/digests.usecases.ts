import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { truncate } from '../slack/blocks.ts';
import { isPerson } from '../slack/mentions.ts';
import { slackErrorCode } from '../slack/messaging.ts';
import type { Messenger } from '../slack/outbox.ts';
import { type ChartInput, renderChartPng } from './digests.chart.ts';
import {
  CHART_WEEKS,
  type DigestData,
  type DigestPeriod,
  digestDate,
  digestPeriod,
  dueDigestSlot,
  renderDigest,
  trailingWeeks,
} from './digests.models.ts';
import type { DigestSections } from './digests.registry.ts';
import type { DigestsRepository } from './digests.repository.ts';

export interface DigestDeps {
  /** Every capability's section, registered as the capabilities start. */
  sections: DigestSections;
  repo: DigestsRepository;
  slack: WebClient;
  /** Paced: a digest goes to every subscriber at once. */
  messages: Messenger;
  logger: Logger;
  clock: Clock;
  timezone(): Promise<string>;
  digestChannel(): Promise<string | undefined>;
  /** Whether a subscriber may still read it (a subscriber may have become a guest since). */
  mayRead(userId: string): Promise<boolean>;
}

/** An unfinished claim older than this belongs to a process that died mid-send: take it over. */
const CLAIM_LEASE_MS = 10 * 60_000;
const CHART_TITLE = `Customer trend, last ${CHART_WEEKS} weeks`;
const CHART_FILENAME = 'customer-digest-trend.png';

/** Loads every section for the 7 days before `end` (and the 7 before). */
export async function loadDigest(
  { sections, timezone }: Pick<DigestDeps, 'sections' | 'timezone'>,
  { end }: { end: Date },
): Promise<DigestData> {
  const period = digestPeriod(end, await timezone());
  return {
    period,
    sections: await Promise.all(sections.all().map(async (section) => ({ section, data: await section.load(period) }))),
  };
}

/** The digest without its chart, for a quiet week or when the chart cannot be shown. */
export async function buildDigest(deps: Pick<DigestDeps, 'sections' | 'timezone'>, { end }: { end: Date }) {
  const data = await loadDigest(deps, { end });
  return { data, message: renderDigest(data) };
}

export interface DigestChart {
  png: Buffer;
  /** What the chart shows, in words: its alt text, and its caption when it goes out on its own. */
  description: string;
  input: ChartInput;
}

/** The last 8 weeks of every section's weekly counts as a PNG; undefined when there is nothing to draw. */
export async function buildDigestChart(
  { sections }: Pick<DigestDeps, 'sections'>,
  { period }: { period: DigestPeriod },
): Promise<DigestChart | undefined> {
  const weeks = trailingWeeks(period, CHART_WEEKS);
  const drawn = await Promise.all(sections.all().flatMap((s) => (s.chart ? [s.chart(weeks)] : [])));
  // A panel with nothing in eight weeks would be an empty frame with a lone 0: it is left out.
  const groups = drawn.filter((g) => g.series.some((s) => s.values.some((v) => v > 0)));
  if (groups.length === 0) return undefined;
  const input: ChartInput = {
    title: CHART_TITLE,
    weekLabels: weeks.map((w) => digestDate(w.start, period.zone)),
    groups,
  };
  const lastWeek = groups
    .map((g) => `${g.label}: ${g.series.map((s) => `${s.values.at(-1) ?? 0} ${s.name}`).join(', ')}`)
    .join('; ');
  const description = `${CHART_TITLE}, a bar per week from ${input.weekLabels[0]} to ${input.weekLabels.at(-1)}. Last 7 days: ${lastWeek}.`;
  return { png: (await renderChartPng(input)).png, description, input };
}

/** Uploads the chart privately (shared with no channel), to be shown inside the digest by its file id. */
async function uploadChart(slack: WebClient, chart: DigestChart): Promise<string> {
  // Slack's argument is `alt_txt`; the client's types call it alt_text.
  const ticket = { filename: CHART_FILENAME, length: chart.png.length, alt_txt: truncate(chart.description, 1000) };
  const { upload_url: url, file_id: id } = await slack.files.getUploadURLExternal(ticket);
  if (!url || !id) throw new Error('Slack gave no upload URL for the chart');
  const upload = await fetch(url, { method: 'POST', body: chart.png });
  if (!upload.ok) throw new Error(`the chart upload answered ${upload.status}`);
  await slack.files.completeUploadExternal({ files: [{ id, title: CHART_TITLE }] });
  return id;
}

/** The digest with its chart inside when it could be drawn and uploaded; the chart apart for a fallback. */
async function digestWithChart(deps: DigestDeps, data: DigestData) {
  const chart = data.sections.some((s) => s.section.hasData(s.data))
    ? await buildDigestChart(deps, { period: data.period }).catch((error: unknown) => {
        // The numbers matter more than the picture: send without the chart rather than not at all.
        deps.logger.warn({ err: error }, 'could not draw the digest chart');
        return undefined;
      })
    : undefined;
  const fileId = chart
    ? await uploadChart(deps.slack, chart).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'could not upload the digest chart');
        return undefined;
      })
    : undefined;
  return {
    chart,
    message: renderDigest(data, fileId && chart ? { fileId, altText: chart.description } : undefined),
    withoutChart: renderDigest(data),
  };
}

/** `/frontline digest preview`: the digest as it would go out, chart included. */
export async function previewDigest(deps: DigestDeps) {
  return (await digestWithChart(deps, await loadDigest(deps, { end: deps.clock.now() }))).message;
}

/** The digest channel and every subscriber still in the digest's audience. */
async function digestTargets(deps: DigestDeps): Promise<string[]> {
  const channel = await deps.digestChannel();
  const readers: string[] = [];
  for (const userId of await deps.repo.subscribers()) if (await deps.mayRead(userId)) readers.push(userId);
  return [...(channel ? [channel] : []), ...readers];
}

/**
 * Posts the digest for the week ending `end` to each target not yet served for `slot`, then the
 * chart beside it. Returns how many targets failed (they are retried while the slot is due).
 */
export async function deliverDigest(
  deps: DigestDeps,
  { end, slot }: { end: Date; slot?: Date },
): Promise<{ delivered: string[]; failed: number }> {
  const targets = await digestTargets(deps);
  if (targets.length === 0) return { delivered: [], failed: 0 };
  const done = slot ? await deps.repo.deliveredTargets(slot) : new Set<string>();
  const pending = targets.filter((t) => !done.has(t));
  if (pending.length === 0) return { delivered: [], failed: 0 };
  const { chart, message, withoutChart } = await digestWithChart(deps, await loadDigest(deps, { end }));
  const send = (target: string, content: typeof message) =>
    isPerson(target) ? deps.messages.dm(target, content) : deps.messages.post({ channel: target, ...content });
  const delivered: string[] = [];
  let failed = 0;
  for (const target of pending) {
    try {
      const posted = await send(target, message).catch(async (error: unknown) => {
        // Slack may refuse the image inside the message (a file not ready yet): send it beside it.
        if (message === withoutChart || slackErrorCode(error) !== 'invalid_blocks') throw error;
        deps.logger.warn({ err: error, target }, 'Slack refused the chart inside the digest; sending it apart');
        return { ...(await send(target, withoutChart)), chartApart: true };
      });
      if (slot) await deps.repo.recordDelivery(slot, target, deps.clock.now());
      delivered.push(target);
      // A digest kept in the outbox goes out without its chart: the numbers are what matter.
      if (chart && posted && 'chartApart' in posted) {
        await deps.slack.filesUploadV2({
          channel_id: posted.channel,
          file: chart.png,
          filename: CHART_FILENAME,
          title: CHART_TITLE,
          initial_comment: chart.description,
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
export async function sendDueDigest(
  deps: DigestDeps,
  { schedule, now }: { schedule: { cron: string; since: Date }; now: Date },
): Promise<boolean> {
  const slot = dueDigestSlot(schedule.cron, await deps.timezone(), now, schedule.since);
  if (!slot || !(await deps.repo.claimSlot(slot, now, CLAIM_LEASE_MS))) return false;
  const { failed } = await deliverDigest(deps, { end: slot, slot });
  if (failed === 0) await deps.repo.finishSlot(slot, deps.clock.now());
  return true;
}

/** `/frontline digest send`: posts the digest for the 7 days up to now. */
export async function sendDigestNow(deps: DigestDeps): Promise<string[]> {
  if ((await digestTargets(deps)).length === 0) {
    throw new UserError(
      'digests.no_targets',
      ':warning: Nobody would get it: set a channel with `/frontline set digest-channel #leadership`, or `/frontline digest subscribe`.',
    );
  }
  const { delivered, failed } = await deliverDigest(deps, { end: deps.clock.now() });
  if (failed > 0 && delivered.length === 0)
    throw new UserError(
      'digests.send_failed',
      ':warning: Slack refused the digest everywhere; check that Frontline is in the digest channel.',
    );
  return delivered;
}
