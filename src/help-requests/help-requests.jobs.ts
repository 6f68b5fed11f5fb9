import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { DepartmentsRepository } from '../departments/departments.repository.ts';
import type { Logger } from '../logger.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Setting } from '../settings/settings.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { Messenger, QueuedMessage } from '../slack/outbox.ts';
import { DEFAULT_NUDGE_MINUTES } from './help-requests.models.ts';
import { createHelpRequestsRepository, type HelpRequestsRepository } from './help-requests.repository.ts';
import { HELP_REQUEST_CARD } from './help-requests.usecases.ts';
import { requestLink } from './help-requests.views.ts';

export interface NudgeDeps {
  db: Db;
  repo: HelpRequestsRepository;
  departments: DepartmentsRepository;
  messages: Messenger;
  logger: Logger;
  config: Pick<Config, 'admins'>;
  nudgeMinutes: Setting<number>;
  supportChannel: Setting<string>;
}

/**
 * Who hears about requests nobody picked up after twice the nudge time: the leads of the
 * departments whose channel is the support channel; when there are none, the FRONTLINE_ADMINS.
 */
export async function supportLeads({
  departments,
  supportChannel,
  config,
}: Pick<NudgeDeps, 'departments' | 'supportChannel' | 'config'>): Promise<string[]> {
  const channel = await supportChannel.get();
  const leads = channel
    ? (await departments.list()).filter((d) => d.channelId === channel).flatMap((d) => d.leads)
    : [];
  return [...new Set(leads.length > 0 ? leads : config.admins)];
}

/**
 * Nudges unclaimed requests: in the thread at N minutes (mentioning the topic's people), by DM to
 * the support leads at 2N. A row in help_nudges is written before each nudge, so each is sent once
 * however many processes or runs overlap.
 */
export async function nudgeUnclaimedRequests(deps: NudgeDeps, now: Date): Promise<void> {
  const minutes = (await deps.nudgeMinutes.get()) ?? DEFAULT_NUDGE_MINUTES;
  const before = (factor: number) => new Date(now.getTime() - factor * minutes * 60_000);

  for (const request of await deps.repo.unclaimedWithoutNudge(1, before(1))) {
    const who =
      request.topicPeople.length > 0
        ? `${request.topicPeople.map(mentionUser).join(' ')}, you know *${escapeMrkdwn(request.topic ?? '')}*: `
        : '';
    const text = `:wave: ${who}this question has waited ${minutes} minutes without a helper. If you can help, press *I can help* above.`;
    await nudgeOnce(deps, request.id, 1, now, [
      { inThreadOf: { mirror: HELP_REQUEST_CARD, ref: String(request.id) }, content: { text } },
    ]);
  }

  const due = await deps.repo.unclaimedWithoutNudge(2, before(2));
  if (due.length === 0) return;
  const leads = await supportLeads(deps);
  for (const request of due) {
    const text = `:hourglass: ${mentionUser(request.askerId)}’s help request in ${mentionChannel(request.channelId!)} has waited ${2 * minutes} minutes and nobody has picked it up: ${requestLink(request)}. Could you find someone?`;
    // One row per lead: one Slack will not DM does not hold up the others.
    await nudgeOnce(
      deps,
      request.id,
      2,
      now,
      leads.map((lead) => ({ dm: lead, content: { text } })),
    );
  }
}

/** Records a nudge with its messages in one transaction (once across processes), then sends them. */
async function nudgeOnce(
  deps: NudgeDeps,
  requestId: number,
  level: number,
  now: Date,
  messages: QueuedMessage[],
): Promise<void> {
  const keys = await deps.db.transaction(async (tx) => {
    if (!(await createHelpRequestsRepository({ db: tx as unknown as Db }).recordNudge(requestId, level, now)))
      return [];
    return deps.messages.enqueue(tx as unknown as Db, messages);
  });
  await deps.messages.deliver(keys);
}

export const NUDGE_JOB = 'help-requests.nudge';

export function registerHelpJobs(scheduler: Scheduler, deps: NudgeDeps): void {
  scheduler.register({ name: NUDGE_JOB, cron: '* * * * *', run: ({ now }) => nudgeUnclaimedRequests(deps, now) });
}
