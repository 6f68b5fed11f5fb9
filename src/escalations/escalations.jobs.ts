// The SLA check: every minute, remind once per threshold about escalations that wait too long.

import { formatMinutes } from '../departments/departments.models.ts';
import type { Department } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { commitChange } from '../events/commit-change.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { slackDate } from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import { escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import type { QueuedMessage } from '../slack/outbox.ts';
import { closeReopenWindows, resumeHoldsEnding } from './escalation-lifecycle.usecases.ts';
import {
  countsWorkingTimeOnly,
  formatDuration,
  type ReminderThreshold,
  thresholdsDue,
  type WorkingHours,
  warningsDue,
} from './escalations.models.ts';
import { createEscalationsRepository, type Escalation } from './escalations.repository.ts';
import { ESCALATION_CARD, type EscalationDeps, postEscalation, workingHoursOf } from './escalations.usecases.ts';

export const SLA_CHECK_JOB = 'escalations.sla-check';
export const LIFECYCLE_JOB = 'escalations.lifecycle';

const mentions = (ids: string[]) => ids.map(mentionUser).join(' ');

/**
 * One reminder's messages: leads and claimer are mentioned in the thread; past twice the ack target, leads
 * get a DM. A due-soon warning goes to the claimer, or to the leads while nobody has claimed it.
 * `waitingSince` is when its targets were set: raised, or reopened.
 */
function reminderFor(
  e: Escalation,
  department: Department,
  threshold: ReminderThreshold,
  now: Date,
  waitingSince: Date,
): QueuedMessage[] {
  const waited = formatDuration(now.getTime() - waitingSince.getTime());
  const leads = department.leads;
  // Round-robin's assignee hears first about an escalation given to them and not yet claimed.
  const assignedOrLeads = [...new Set([...(e.assigneeId ? [e.assigneeId] : []), ...leads])];
  const summary = escapeMrkdwn(e.summary.replace(/\s+/g, ' ').slice(0, 150));
  const target = (minutes: number) =>
    `${formatMinutes(minutes)}${countsWorkingTimeOnly(e.priority) ? ' of working time' : ''}`;
  const inThread = (text: string): QueuedMessage => ({
    inThreadOf: { mirror: ESCALATION_CARD, ref: e.id },
    content: { text },
  });
  switch (threshold) {
    case 'ack':
      return [
        inThread(
          `:alarm_clock: Nobody has claimed this after ${waited} (target ${target(department.sla[e.priority].ackMinutes)}).${assignedOrLeads.length ? ` ${mentions(assignedOrLeads)}, can someone pick it up?` : ' Can someone pick it up?'}`,
        ),
      ];
    case 'ack_alert': {
      const link = e.messageUrl ? ` ${linkTo(e.messageUrl, 'Open it')}.` : '';
      const text = `:rotating_light: A ${e.priority} escalation for *${escapeMrkdwn(department.name)}* has waited ${waited} unclaimed, twice its target: “${summary}”.${link}`;
      // One row per lead: one Slack will not DM (deactivated, say) does not hold up the others.
      return leads.map((lead) => ({ dm: lead, content: { text } }));
    }
    case 'resolve': {
      const who = [...new Set([...(e.claimerId ? [e.claimerId] : []), ...leads])];
      return [
        inThread(
          `:hourglass: This is past its resolve target (${target(department.sla[e.priority].resolveHours * 60)}).${who.length ? ` ${mentions(who)}, please resolve it or say what is blocking it.` : ''}`,
        ),
      ];
    }
    case 'ack_warning':
      return [
        inThread(
          `:hourglass_flowing_sand: Due soon: nobody has claimed this yet, and it should be acknowledged by ${slackDate(e.ackDueAt)} (target ${target(department.sla[e.priority].ackMinutes)}).${e.assigneeId ? ` ${mentionUser(e.assigneeId)}, it was assigned to you: can you claim it?` : leads.length ? ` ${mentions(leads)}, can someone pick it up?` : ''}`,
        ),
      ];
    case 'resolve_warning': {
      const who = e.claimerId ? [e.claimerId] : leads;
      return [
        inThread(
          `:hourglass_flowing_sand: Due soon: this should be resolved by ${slackDate(e.resolveDueAt)} (target ${target(department.sla[e.priority].resolveHours * 60)}).${who.length ? ` ${mentions(who)}, resolve it or say what is blocking it.` : ''}`,
        ),
      ];
    }
  }
}

/** The domain event a reminder raises: breaches and warnings, for webhooks and other capabilities. */
function eventOf(e: Escalation, threshold: ReminderThreshold): DomainEvent[] {
  switch (threshold) {
    case 'ack':
    case 'resolve':
      return [{ type: 'escalation.sla_breached', escalationId: e.id, target: threshold }];
    case 'ack_warning':
    case 'resolve_warning':
      return [
        {
          type: 'escalation.sla_warning',
          escalationId: e.id,
          target: threshold === 'ack_warning' ? 'ack' : 'resolve',
          dueAt: (threshold === 'ack_warning' ? e.ackDueAt : e.resolveDueAt).toISOString(),
        },
      ];
    case 'ack_alert':
      return [];
  }
}

/** Sends one reminder: the reminder row's key makes it happen once across processes and retries. */
async function remind(
  deps: EscalationDeps,
  e: Escalation,
  department: Department,
  threshold: ReminderThreshold,
  now: Date,
  waitingSince: Date,
) {
  await commitChange(deps, async (tx) => {
    const repo = createEscalationsRepository({ db: tx });
    if (!(await repo.markReminded(e.id, threshold, now))) return undefined;
    await repo.addEvent(e.id, 'reminded', 'system', now, { threshold });
    return {
      result: threshold,
      messages: reminderFor(e, department, threshold, now, waitingSince),
      events: eventOf(e, threshold),
    };
  });
}

/**
 * Runs the check for `now`. Each reminder is recorded with its messages in one transaction, and
 * the reminder row's key makes it happen once across processes; the outbox sends it.
 */
export async function runSlaCheck(deps: EscalationDeps, now: Date): Promise<void> {
  const departments = new Map<string, Department | undefined>();
  const departmentOf = async (key: string) => {
    if (!departments.has(key)) departments.set(key, await deps.departments.getIncludingArchived(key));
    return departments.get(key);
  };
  const calendars = new Map<string, WorkingHours>();
  const hoursOf = async (department: Department) => {
    if (!calendars.has(department.key)) calendars.set(department.key, await workingHoursOf(department, deps));
    return calendars.get(department.key)!;
  };
  // Most candidates have nothing due yet: when they were last reopened is read only for those that do.
  const remindOf = async (e: Escalation, department: Department, thresholds: ReminderThreshold[]) => {
    if (thresholds.length === 0) return;
    const waitingSince = (await deps.repo.lastReopenedAt(e.id)) ?? e.createdAt;
    for (const threshold of thresholds) await remind(deps, e, department, threshold, now, waitingSince);
  };
  await postStragglers(deps, now);
  for (const e of await deps.repo.overdue(now)) {
    const department = await departmentOf(e.departmentKey);
    if (!department) continue;
    await remindOf(e, department, thresholdsDue(e, now, await hoursOf(department)));
  }
  const percent = await deps.slaWarnPercent();
  if (percent <= 0) return;
  for (const e of await deps.repo.dueSoonCandidates(now)) {
    const department = await departmentOf(e.departmentKey);
    if (!department) continue;
    await remindOf(e, department, warningsDue(e, now, await hoursOf(department), percent, department.sla[e.priority]));
  }
}

// Stored but never posted, and not waiting in the outbox (Slack refused it, say the channel was
// archived): try again each minute, in case the department has moved to a channel that works. Only
// escalations older than any live attempt can take (retries and Retry-After waits included).
const STRAGGLER_AFTER_MS = 15 * 60_000;
async function postStragglers(deps: EscalationDeps, now: Date): Promise<void> {
  for (const e of await deps.repo.unposted(new Date(now.getTime() - STRAGGLER_AFTER_MS))) {
    try {
      await postEscalation(deps, { escalation: e });
    } catch (error) {
      deps.logger.warn({ err: error, escalation: e.id }, 'could not post a stored escalation; will retry next minute');
    }
  }
}

export function registerJobs(deps: Deps, useCaseDeps: EscalationDeps): void {
  deps.scheduler.register({
    name: SLA_CHECK_JOB,
    cron: '* * * * *',
    run: ({ now }) => runSlaCheck({ ...useCaseDeps, messages: deps.messages.paced }, now),
  });
  // Every minute: holds whose date has come resume, and cards past their reopen window lose the button.
  deps.scheduler.register({
    name: LIFECYCLE_JOB,
    cron: '* * * * *',
    run: async ({ now }) => {
      const paced = { ...useCaseDeps, messages: deps.messages.paced, clock: { now: () => now } };
      await resumeHoldsEnding(paced);
      await closeReopenWindows(paced);
    },
  });
}
