// The SLA check: every minute, remind once per threshold about escalations that wait too long.
import type { Department } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { formatMinutes } from '../departments/departments.models.ts';
import { mentionUser } from '../slack/mentions.ts';
import { countsWorkingTimeOnly, formatDuration, type ReminderThreshold, thresholdsDue } from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';
import { type EscalationDeps, postEscalation, workingHoursOf } from './escalations.usecases.ts';
import { escapeKeepingLinks } from '../slack/mrkdwn.ts';
import { linkTo } from './escalations.views.ts';

export const SLA_CHECK_JOB = 'escalations.sla-check';

const mentions = (ids: string[]) => ids.map(mentionUser).join(' ');

/** Sends one reminder. Leads and claimer are mentioned in the thread; past twice the ack target, leads get a DM. */
async function sendReminder(deps: EscalationDeps, e: Escalation, department: Department, threshold: ReminderThreshold, now: Date): Promise<void> {
  const waited = formatDuration(now.getTime() - e.createdAt.getTime());
  const leads = department.leads;
  const summary = escapeKeepingLinks(e.summary.replace(/\s+/g, ' ').slice(0, 150));
  const target = (minutes: number) => `${formatMinutes(minutes)}${countsWorkingTimeOnly(e.priority) ? ' of working time' : ''}`;
  const thread = (text: string) => deps.messages.post({ channel: e.channelId!, text, threadTs: e.messageTs! });
  switch (threshold) {
    case 'ack':
      await thread(
        `:alarm_clock: Nobody has claimed this after ${waited} (target ${target(department.sla[e.priority].ackMinutes)}).${leads.length ? ` ${mentions(leads)}, can someone pick it up?` : ' Can someone pick it up?'}`,
      );
      return;
    case 'ack_alert':
      for (const lead of leads) {
        const link = e.messageUrl ? ` ${linkTo(e.messageUrl, 'Open it')}.` : '';
        // One lead Slack will not DM (deactivated, say) must not make the others hear it every minute.
        await deps.messages
          .dm(lead, { text: `:rotating_light: A ${e.priority} escalation for *${escapeKeepingLinks(department.name)}* has waited ${waited} unclaimed, twice its target: “${summary}”.${link}` })
          .catch((error: unknown) => deps.logger.warn({ err: error, escalation: e.id, lead }, 'could not DM a lead about a waiting escalation'));
      }
      return;
    case 'resolve': {
      const who = [...new Set([...(e.claimerId ? [e.claimerId] : []), ...leads])];
      await thread(`:hourglass: This is past its resolve target (${target(department.sla[e.priority].resolveHours * 60)}).${who.length ? ` ${mentions(who)}, please resolve it or say what is blocking it.` : ''}`);
    }
  }
}

/** Runs the check for `now`. Each reminder row is inserted before sending, so it goes out once across processes. */
export async function runSlaCheck(deps: EscalationDeps, now: Date): Promise<void> {
  const departments = new Map<string, Department | undefined>();
  const departmentOf = async (key: string) => {
    if (!departments.has(key)) departments.set(key, await deps.departments.getIncludingArchived(key));
    return departments.get(key);
  };
  await postStragglers(deps, now);
  for (const e of await deps.repo.overdue(now)) {
    const department = await departmentOf(e.departmentKey);
    if (!department) continue;
    for (const threshold of thresholdsDue(e, now, await workingHoursOf(department, deps.timezone))) {
      if (!(await deps.repo.markReminded(e.id, threshold, now))) continue;
      try {
        await sendReminder(deps, e, department, threshold, now);
        await deps.repo.addEvent(e.id, 'reminded', 'system', now, { threshold });
      } catch (error) {
        deps.logger.warn({ err: error, escalation: e.id, threshold }, 'could not send an SLA reminder; will retry next minute');
        await deps.repo.unmarkReminded(e.id, threshold);
      }
    }
  }
}

// Stored but never posted, and not waiting in the outbox (Slack refused it, say the channel was
// archived): try again each minute, in case the department has moved to a channel that works. Only
// escalations older than any live attempt can take (retries and Retry-After waits included).
const STRAGGLER_AFTER_MS = 15 * 60_000;
async function postStragglers(deps: EscalationDeps, now: Date): Promise<void> {
  for (const e of await deps.repo.unposted(new Date(now.getTime() - STRAGGLER_AFTER_MS))) {
    try {
      await postEscalation(deps, e);
    } catch (error) {
      deps.logger.warn({ err: error, escalation: e.id }, 'could not post a stored escalation; will retry next minute');
    }
  }
}

export function registerJobs(deps: Deps, useCaseDeps: EscalationDeps): void {
  deps.scheduler.register({ name: SLA_CHECK_JOB, cron: '* * * * *', run: ({ now }) => runSlaCheck({ ...useCaseDeps, messages: deps.messages.paced }, now) });
}
